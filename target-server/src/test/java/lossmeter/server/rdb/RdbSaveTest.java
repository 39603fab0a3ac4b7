package lossmeter.server.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lossmeter.server.command.EngineFixture;
import lossmeter.server.config.ServerConfig;
import lossmeter.server.keyspace.Database;
import lossmeter.server.keyspace.Key;
import lossmeter.server.log.Log;

/** The durable save sequence, leftover cleanup, and SAVE/LASTSAVE/INFO through the engine. */
class RdbSaveTest {
    @TempDir
    Path dir;

    private static final RdbWriter.Options OPTIONS = new RdbWriter.Options(true, true, 0);

    private static String tempName() {
        return "temp-" + ProcessHandle.current().pid() + ".rdb";
    }

    @Test
    void saveRenamesACompleteFileIntoPlaceAndLeavesNoTemp() throws Exception {
        Database[] dbs = Datasets.random(new SplittableRandom(1), 16, 100);
        Files.writeString(dir.resolve("dump.rdb"), "the previous dump");
        long size = RdbWriter.save(dbs, dir, "dump.rdb", OPTIONS);
        assertThat(Files.size(dir.resolve("dump.rdb"))).isEqualTo(size);
        assertThat(Files.exists(dir.resolve(tempName()))).isFalse();
        Database[] back = Datasets.empty(16);
        RdbLoader.load(dir.resolve("dump.rdb"), back, Log.toStdout(), new RdbLoader.Options(true, false, 0, null, System::currentTimeMillis));
        Datasets.assertSame(back, dbs);
    }

    @Test
    void aFailedRenameRemovesTheTempFileAndKeepsTheOldDump() throws Exception {
        Files.createDirectory(dir.resolve("dump.rdb")); // a non-empty directory cannot be replaced by rename(2)
        Files.writeString(dir.resolve("dump.rdb").resolve("keep"), "x");
        assertThatThrownBy(() -> RdbWriter.save(Datasets.empty(1), dir, "dump.rdb", OPTIONS)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("Error moving temp DB file " + tempName() + " on the final destination dump.rdb");
        assertThat(Files.exists(dir.resolve(tempName()))).isFalse();
        assertThat(Files.isDirectory(dir.resolve("dump.rdb"))).isTrue();
    }

    @Test
    void aMissingDirectoryIsReportedAsRedisDoes() {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> RdbWriter.save(Datasets.empty(1), missing, "dump.rdb", OPTIONS)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("Failed opening the temp RDB file " + tempName() + " (in server root dir " + missing + ") for saving: ");
    }

    @Test
    void removesOnlyLeftoverRdbTempFiles() throws Exception {
        for (String f : new String[]{"temp-123.rdb", "temp-9.rdb", "temp-abc.rdb", "temp-rewriteaof-1.aof", "dump.rdb", "temp-1.rdb.bak"}) {
            Files.writeString(dir.resolve(f), f);
        }
        assertThat(RdbWriter.removeLeftoverTempFiles(dir)).containsExactlyInAnyOrder("temp-123.rdb", "temp-9.rdb");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("temp-abc.rdb", "temp-rewriteaof-1.aof",
                    "dump.rdb", "temp-1.rdb.bak");
        }
        assertThat(RdbWriter.removeLeftoverTempFiles(dir.resolve("missing"))).isEmpty();
    }

    @Test
    void keySaveDelaySlowsTheSaveDown() throws Exception {
        Database[] dbs = Datasets.empty(1);
        for (int i = 0; i < 50; i++) dbs[0].put(Key.of("k" + i), "v".getBytes(StandardCharsets.US_ASCII));
        long t0 = System.nanoTime();
        RdbWriter.save(dbs, dir, "dump.rdb", new RdbWriter.Options(true, true, 4000));
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(200);
    }
}
