package lossmeter.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import lossmeter.server.aof.AofLoader;
import lossmeter.server.command.Client;
import lossmeter.server.command.EngineFixture;
import lossmeter.server.config.ServerConfig;
import lossmeter.server.keyspace.Database;
import lossmeter.server.log.Log;
import lossmeter.server.rdb.Datasets;
import lossmeter.server.rdb.RdbLoader;

/**
 * BGREWRITEAOF and BGSAVE in process: the event loop is played by {@link #tick()}, the job's
 * thread is real. What the files hold is compared with the dataset, key by key.
 */
class BackgroundPersistenceTest {
    private EngineFixture fx;
    private PersistenceService p;

    @AfterEach
    void close() throws Exception {
        if (fx != null) fx.close();
    }

    private void open(boolean aof, long keySaveDelayMicros, boolean preamble) throws Exception {
        ServerConfig cfg = new ServerConfig();
        cfg.rdbKeySaveDelay = keySaveDelayMicros;
        cfg.aofUseRdbPreamble = preamble;
        cfg.save = java.util.List.of();
        cfg.enableDebugCommand = "yes";
        fx = new EngineFixture(cfg);
        if (aof) fx.withAof();
        else cfg.dir = Files.createTempDirectory("bg-persistence").toString();
        p = new PersistenceService(fx.engine, fx.dispatcher, () -> { }, status -> {
            throw new IllegalStateException("exit " + status);
        });
        fx.engine.persistence = p;
    }

    /** One event-loop iteration's persistence steps, in the loop's order. */
    private void tick() {
        p.beforeSleep();
        if (fx.engine.aof != null) fx.engine.aof.flush(false);
        p.cron();
    }

    /**
     * Ticks until the AOF buffer is written: under everysec a write waits (up to 2 s) while a
     * background fsync runs — the directory fsync after a rewrite's rename is one — and the loop
     * holds the replies meanwhile, so a test reads the file only once the loop would have replied.
     */
    private void tickUntilWritten() {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            tick();
            return fx.engine.aof.flush(false);
        });
    }

    private void fill(int n) {
        for (int i = 0; i < n; i++) {
            fx.run("SET", "s" + i, "v" + i);
            if (i % 10 == 0) fx.run("RPUSH", "l" + i, "a", "b", "c");
        }
        fx.run("SELECT", "2");
        fx.run("SET", "in2", "x");
        fx.run("PEXPIRE", "in2", "100000000");
        fx.run("SELECT", "0");
    }

    private Database[] loadAof() {
        EngineFixture back = new EngineFixture(new ServerConfig());
        Client fake = new Client(0, "aof-loader");
        back.engine.loading = true;
        AofLoader.Result r = new AofLoader(back.cfg, Log.toStdout(), back.engine.dbs, argv -> back.dispatcher.replay(fake, argv),
                () -> { }).load(fx.engine.cfg.aofPath());
        back.engine.loading = false;
        assertThat(r.status()).isEqualTo(AofLoader.Status.OK);
        return back.engine.dbs;
    }

    @ParameterizedTest(name = "preamble {0}")
    @ValueSource(booleans = {true, false})
    void writesDuringARewriteAreAllInTheNewFile(boolean preamble) throws Exception {
        open(true, 200, preamble);
        fill(500);
        tick();
        assertThat(fx.run("BGREWRITEAOF")).isEqualTo("+Background append only file rewriting started\r\n");
        assertThat(fx.run("BGREWRITEAOF")).isEqualTo("-ERR Background append only file rewriting already in progress\r\n");
        int i = 0;
        while (p.status().rewriteInProgress()) {
            fx.run("INCR", "counter");
            fx.run("RPUSH", "l0", "during" + i);
            fx.run("LPOP", "l10");
            fx.run("SET", "s" + (i % 500), "new" + i);
            fx.run("SELECT", Integer.toString(i % 3));
            fx.run("SET", "db" + (i % 3), "x" + i);
            fx.run("SELECT", "0");
            i++;
            tick();
        }
        assertThat(i).as("writes made while the rewrite ran").isGreaterThan(0);
        assertThat(fx.run("INFO", "persistence")).contains("aof_last_bgrewrite_status:ok").contains("aof_rewrites:1")
                .contains("aof_rewrite_in_progress:0");
        assertThat(Files.readString(fx.aofFile(), java.nio.charset.StandardCharsets.ISO_8859_1).startsWith("REDIS"))
                .isEqualTo(preamble);
        fx.run("SET", "after", "switch");
        tickUntilWritten();
        Datasets.assertSame(loadAof(), fx.engine.dbs);
        assertThat(fx.engine.aof.baseSize()).isPositive();
    }

    @Test
    void debugLoadAofReloadsTheSameDataset() throws Exception {
        open(true, 0, true);
        fill(50);
        tick();
        fx.run("BGREWRITEAOF");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            tick();
            assertThat(p.status().rewriteInProgress()).isFalse();
        });
        fx.run("RPUSH", "l0", "tail");
        Database[] before = new Database[16];
        for (int i = 0; i < 16; i++) before[i] = fx.engine.dbs[i].snapshot();
        assertThat(fx.run("DEBUG", "LOADAOF")).isEqualTo("+OK\r\n");
        Datasets.assertSame(fx.engine.dbs, before);
    }

    @Test
    void bgsaveWritesTheSnapshotAndSchedulesARewrite() throws Exception {
        open(true, 500, true);
        fill(300);
        Database[] atStart = new Database[16];
        for (int i = 0; i < 16; i++) atStart[i] = fx.engine.dbs[i].snapshot();
        assertThat(fx.run("BGSAVE")).isEqualTo("+Background saving started\r\n");
        assertThat(fx.run("BGSAVE")).isEqualTo("-ERR Background save already in progress\r\n");
        assertThat(fx.run("SAVE")).isEqualTo("-ERR Background save already in progress\r\n");
        assertThat(fx.run("BGREWRITEAOF")).isEqualTo("+Background append only file rewriting scheduled\r\n");
        assertThat(fx.run("INFO", "persistence")).contains("rdb_bgsave_in_progress:1").contains("aof_rewrite_scheduled:1");
        fx.run("RPUSH", "l0", "not in the dump");
        fx.run("DEL", "s1");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            tick();
            assertThat(p.status().bgsaveInProgress()).isFalse();
        });
        assertThat(p.status().rewriteInProgress() || p.status().rewrites() == 1).as("the scheduled rewrite started").isTrue();
        Database[] dump = Datasets.empty(16);
        RdbLoader.load(Path.of(fx.engine.cfg.dir).resolve("dump.rdb"), dump, Log.toStdout(),
                new RdbLoader.Options(true, true, 0, null, System::currentTimeMillis));
        Datasets.assertSame(dump, atStart);
        assertThat(fx.run("INFO", "persistence")).contains("rdb_last_bgsave_status:ok").contains("rdb_changes_since_last_save:2");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            tick();
            assertThat(p.status().rewriteInProgress()).isFalse();
        });
    }

    @Test
    void aFailedBgsaveTurnsOnMisconfWhenSavePointsAreSet() throws Exception {
        open(false, 0, true);
        fx.engine.cfg.save = java.util.List.of(new lossmeter.server.config.SavePoint(3600, 1));
        fx.run("SET", "a", "1");
        fx.engine.cfg.dir = Path.of(fx.engine.cfg.dir).resolve("missing").toString();
        assertThat(fx.run("BGSAVE")).isEqualTo("+Background saving started\r\n");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            tick();
            assertThat(p.status().bgsaveInProgress()).isFalse();
        });
        assertThat(fx.run("INFO", "persistence")).contains("rdb_last_bgsave_status:err");
        assertThat(fx.run("SET", "b", "2")).isEqualTo("-MISCONF " + PersistenceService.BGSAVE_ERROR + "\r\n");
        assertThat(fx.run("GET", "a")).isEqualTo("$1\r\n1\r\n");
        fx.engine.cfg.stopWritesOnBgsaveError = false;
        assertThat(fx.run("SET", "b", "2")).isEqualTo("+OK\r\n");
    }

    @Test
    void aFailedRewriteLeavesTheOldAofAuthoritative() throws Exception {
        open(true, 0, false);
        fill(20);
        tick();
        // A non-empty directory where the temp file must go: open(2) fails.
        Path blocker = Path.of(fx.engine.cfg.dir).resolve("temp-rewriteaof-" + ProcessHandle.current().pid() + ".aof");
        Files.createDirectories(blocker.resolve("x"));
        long before = Files.size(fx.aofFile());
        fx.run("BGREWRITEAOF");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            tick();
            assertThat(p.status().rewriteInProgress()).isFalse();
        });
        assertThat(fx.run("INFO", "persistence")).contains("aof_last_bgrewrite_status:err");
        fx.run("SET", "after", "failure");
        tickUntilWritten();
        assertThat(Files.size(fx.aofFile())).isGreaterThan(before);
        Datasets.assertSame(loadAof(), fx.engine.dbs);
    }

    @Test
    void appendonlyTurnedOnAtRuntimeStartsWithARewrite() throws Exception {
        open(false, 100, true);
        fill(200);
        assertThat(fx.run("CONFIG", "SET", "appendonly", "yes")).isEqualTo("+OK\r\n");
        assertThat(p.status().rewriteInProgress()).isTrue();
        fx.run("SET", "during", "rewrite");
        fx.run("RPUSH", "l0", "during");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            tick();
            assertThat(p.status().rewriteInProgress()).isFalse();
        });
        assertThat(fx.engine.aof.waitingForRewrite()).isFalse();
        fx.run("SET", "after", "rewrite");
        tickUntilWritten();
        Datasets.assertSame(loadAof(), fx.engine.dbs);
        assertThat(fx.run("CONFIG", "SET", "appendonly", "no")).isEqualTo("+OK\r\n");
        assertThat(fx.engine.aof).isNull();
    }
}
