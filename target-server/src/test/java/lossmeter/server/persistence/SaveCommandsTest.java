package lossmeter.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lossmeter.server.command.EngineFixture;
import lossmeter.server.config.ServerConfig;
import lossmeter.server.keyspace.Database;
import lossmeter.server.log.Log;
import lossmeter.server.rdb.Datasets;
import lossmeter.server.rdb.RdbLoader;

/** SAVE, DEBUG RELOAD and FLUSHALL's save, in process, with Redis's bookkeeping. */
class SaveCommandsTest {
    @TempDir
    Path dir;

    @Test
    void saveCommandRepliesOkAndMovesLastsave() throws Exception {
        ServerConfig cfg = new ServerConfig();
        cfg.dir = dir.toString();
        try (EngineFixture fx = new EngineFixture(cfg)) {
            PersistenceService p = new PersistenceService(fx.engine, fx.dispatcher, () -> { }, status -> { });
            fx.engine.persistence = p;
            fx.engine.lastSaveUnix = 1000;
            fx.run("SET", "a", "1");
            fx.run("RPUSH", "l", "x", "y");
            assertThat(fx.run("INFO", "persistence")).contains("rdb_changes_since_last_save:3"); // RPUSH of two elements counts two, as in Redis
            assertThat(fx.run("SAVE")).isEqualTo("+OK\r\n");
            assertThat(fx.run("LASTSAVE")).isNotEqualTo(":1000\r\n");
            assertThat(fx.run("INFO", "persistence")).contains("rdb_changes_since_last_save:0").contains("rdb_last_bgsave_status:ok");
            Database[] back = Datasets.empty(16);
            RdbLoader.load(dir.resolve("dump.rdb"), back, Log.toStdout(), new RdbLoader.Options(true, false, 0, null, System::currentTimeMillis));
            Datasets.assertSame(back, fx.engine.dbs);

            // a failing SAVE: -ERR with the reason, counters and status untouched (as Redis's rdbSave)
            fx.run("SET", "b", "2");
            cfg.dbfilename = "sub/dump.rdb";
            Files.createDirectories(dir.resolve("sub/dump.rdb/x"));
            fx.engine.lastSaveUnix = 1000;
            assertThat(fx.run("SAVE")).startsWith("-ERR Error moving temp DB file");
            assertThat(fx.run("LASTSAVE")).isEqualTo(":1000\r\n");
            assertThat(fx.run("INFO", "persistence")).contains("rdb_changes_since_last_save:1").contains("rdb_last_bgsave_status:ok");
        }
    }

    @Test
    void debugReloadAndTheSaveAfterFlushAll() throws Exception {
        ServerConfig cfg = new ServerConfig();
        cfg.dir = dir.toString();
        cfg.enableDebugCommand = "yes";
        try (EngineFixture fx = new EngineFixture(cfg)) {
            PersistenceService p = new PersistenceService(fx.engine, fx.dispatcher, () -> { }, status -> { });
            fx.engine.persistence = p;
            fx.run("SET", "a", "1");
            fx.run("SELECT", "3");
            fx.run("RPUSH", "l", "x", "y", "z");
            fx.run("PEXPIRE", "l", "100000000");
            Database[] before = Datasets.empty(16);
            for (int i = 0; i < 16; i++) before[i] = fx.engine.dbs[i].snapshot();
            assertThat(fx.run("DEBUG", "RELOAD")).isEqualTo("+OK\r\n");
            Datasets.assertSame(fx.engine.dbs, before);

            // With save points set (the default), FLUSHALL saves the emptied dataset, and the
            // FLUSHALL itself still counts as a change since that save, as in Redis 7.0.
            assertThat(fx.run("FLUSHALL")).isEqualTo("+OK\r\n");
            assertThat(fx.engine.dirty - p.status().dirtyAtLastSave()).as("the FLUSHALL still counts as a change").isEqualTo(1);
            Database[] back = Datasets.empty(16);
            RdbLoader.load(dir.resolve("dump.rdb"), back, Log.toStdout(), new RdbLoader.Options(true, false, 0, null, System::currentTimeMillis));
            assertThat(back[0].size() + back[3].size()).isZero();
        }
    }
}
