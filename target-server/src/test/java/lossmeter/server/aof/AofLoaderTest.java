package lossmeter.server.aof;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import lossmeter.server.command.Client;
import lossmeter.server.command.EngineFixture;
import lossmeter.server.config.ServerConfig;
import lossmeter.server.log.Log;

/**
 * Pins down how {@link AofLoader} replays an append-only file into the real engine, with Redis's
 * rules for truncated tails, format errors, unknown commands and unfinished transactions.
 */
class AofLoaderTest {
    @TempDir
    Path dir;
    Path file;
    Path logFile;

    @BeforeEach
    void paths() {
        file = dir.resolve("appendonly.aof");
        logFile = dir.resolve("server.log");
    }

    /** A finished load: the result, the engine it filled, and how often the loader yielded to clients. */
    record Loaded(AofLoader.Result result, EngineFixture fx, int yields) {
        AofLoader.Status status() {
            return result.status();
        }

        /** GET in the given database, as a client would see it after the load. */
        String get(int db, String key) {
            Client c = fx.newClient();
            fx.run(c, "SELECT", Integer.toString(db));
            return fx.run(c, "GET", key);
        }

        String get(String key) {
            return get(0, key);
        }

        String run(String... args) {
            return fx.run(fx.newClient(), args);
        }
    }

    /** Loads {@link #file} as Server.loadData does: a fake client, replay as the sink, loading flag on. */
    Loaded load(boolean aofLoadTruncated) throws IOException {
        ServerConfig cfg = new ServerConfig();
        cfg.aofLoadTruncated = aofLoadTruncated;
        EngineFixture fx = new EngineFixture(cfg);
        Client fake = new Client(0, "aof-loader");
        AtomicInteger yields = new AtomicInteger();
        AofLoader loader = new AofLoader(cfg, Log.toFile(logFile.toString()), fx.engine.dbs, argv -> fx.dispatcher.replay(fake, argv),
                yields::incrementAndGet);
        fx.engine.loading = true;
        AofLoader.Result r = loader.load(file);
        fx.engine.loading = false;
        return new Loaded(r, fx, yields.get());
    }

    String log() throws IOException {
        return Files.exists(logFile) ? Files.readString(logFile) : "";
    }

    private static String bulk(String v) {
        return "$" + v.length() + "\r\n" + v + "\r\n";
    }

    private static final String NIL = "$-1\r\n";

    /** SELECT, four writes of different kinds, then a last SET whose cuts the tests explore. */
    private static Aof severalCommands() {
        return new Aof()
                .cmd("SELECT", "0")
                .cmd("SET", "a", "1")
                .cmd("RPUSH", "l", "x", "y")
                .cmd("INCR", "n")
                .cmd("SELECT", "3")
                .cmd("SET", "b", "in-db-3")
                .cmd("SELECT", "0")
                .cmd("SET", "last", "value");
    }

    private void assertEarlierCommandsApplied(Loaded l) {
        assertThat(l.get("a")).isEqualTo(bulk("1"));
        assertThat(l.run("LRANGE", "l", "0", "-1")).isEqualTo("*2\r\n" + bulk("x") + bulk("y"));
        assertThat(l.get("n")).isEqualTo(bulk("1"));
        assertThat(l.get(3, "b")).isEqualTo(bulk("in-db-3"));
    }

    @Test
    void cleanFileLoadsEverything() throws Exception {
        Aof aof = severalCommands();
        Files.write(file, aof.bytes());

        Loaded l = load(true);

        assertThat(l.status()).isEqualTo(AofLoader.Status.OK);
        assertThat(l.result().validUpTo()).isEqualTo(aof.size());
        assertThat(l.result().commands()).isEqualTo(8);
        assertEarlierCommandsApplied(l);
        assertThat(l.get("last")).isEqualTo(bulk("value"));
        assertThat(l.get(3, "a")).isEqualTo(NIL);
        assertThat(Files.readAllBytes(file)).isEqualTo(aof.bytes());
        // Keys never expire while loading and replay propagates nothing.
        assertThat(l.fx().engine.aof).isNull();
    }

    @Nested
    class TruncatedTail {
        @Test
        void aTailOfZerosFromAFailedFsyncIsATruncatedTailNotCorruption() throws Exception {
            Aof aof = severalCommands();
            byte[] full = aof.bytes();
            long lastStart = aof.start(-1);
            // The last command's bytes were lost with a failed fsync: the size survived, the data read as zeros.
            byte[] zeroed = Arrays.copyOf(full, full.length);
            Arrays.fill(zeroed, (int) lastStart, zeroed.length, (byte) 0);
            Files.write(file, zeroed);

            Loaded l = load(true);

            assertThat(l.status()).isEqualTo(AofLoader.Status.TRUNCATED);
            assertThat(l.result().validUpTo()).isEqualTo(lastStart);
            assertThat(Files.readAllBytes(file)).isEqualTo(Arrays.copyOf(full, (int) lastStart));
            assertEarlierCommandsApplied(l);
            assertThat(log()).contains("ends in zero bytes from offset");
        }

        @Test
        void zerosFollowedByMoreCommandsAreStillBadFormat() throws Exception {
            Aof aof = severalCommands();
            byte[] full = aof.bytes();
            long lastStart = aof.start(-1);
            byte[] holed = Arrays.copyOf(full, full.length);
            Arrays.fill(holed, (int) lastStart, (int) lastStart + 4, (byte) 0);
            Files.write(file, holed);

            Loaded l = load(true);

            assertThat(l.status()).isEqualTo(AofLoader.Status.FAILED);
            assertThat(log()).contains("Bad file format reading the append only file");
        }

        @Test
        void everyCutInsideTheLastCommandIsTruncatedWhenAllowed() throws Exception {
            Aof aof = severalCommands();
            byte[] full = aof.bytes();
            long lastStart = aof.start(-1);
            for (int cut = (int) lastStart + 1; cut < full.length; cut++) {
                Files.write(file, Arrays.copyOf(full, cut));

                Loaded l = load(true);

                assertThat(l.status()).as("cut at %d", cut).isEqualTo(AofLoader.Status.TRUNCATED);
                assertThat(l.result().validUpTo()).as("cut at %d", cut).isEqualTo(lastStart);
                assertThat(l.result().commands()).as("cut at %d", cut).isEqualTo(7);
                // Physically cut back to the end of the last whole command, so appends start clean.
                assertThat(Files.readAllBytes(file)).as("cut at %d", cut).isEqualTo(Arrays.copyOf(full, (int) lastStart));
                assertEarlierCommandsApplied(l);
                assertThat(l.get("last")).isEqualTo(NIL);
            }
            assertThat(log()).contains("!!! Warning: short read while loading the AOF file appendonly.aof!!!")
                    .contains("!!! Truncating the AOF appendonly.aof at offset " + lastStart + " !!!")
                    .contains("AOF appendonly.aof loaded anyway because aof-load-truncated is enabled");
        }

        @Test
        void cutsExactlyAtACommandBoundaryAreClean() throws Exception {
            Aof aof = severalCommands();
            byte[] full = aof.bytes();
            for (long cut : new long[]{aof.start(-1), full.length}) {
                byte[] content = Arrays.copyOf(full, (int) cut);
                Files.write(file, content);

                Loaded l = load(true);

                assertThat(l.status()).as("cut at %d", cut).isEqualTo(AofLoader.Status.OK);
                assertThat(l.result().validUpTo()).isEqualTo(cut);
                assertThat(Files.readAllBytes(file)).isEqualTo(content);
                assertEarlierCommandsApplied(l);
                assertThat(l.get("last")).isEqualTo(cut == full.length ? bulk("value") : NIL);
            }
            assertThat(log()).doesNotContain("Truncating");
        }

        @Test
        void everyCutInsideTheLastCommandFailsWhenNotAllowed() throws Exception {
            Aof aof = severalCommands();
            byte[] full = aof.bytes();
            for (int cut = (int) aof.start(-1) + 1; cut < full.length; cut++) {
                byte[] content = Arrays.copyOf(full, cut);
                Files.write(file, content);

                Loaded l = load(false);

                assertThat(l.status()).as("cut at %d", cut).isEqualTo(AofLoader.Status.FAILED);
                assertThat(l.result().started()).isFalse();
                assertThat(Files.readAllBytes(file)).as("cut at %d", cut).isEqualTo(content);
            }
            assertThat(log()).contains("Unexpected end of file reading the append only file appendonly.aof")
                    .contains("check-aof --fix")
                    .doesNotContain("Truncating");
        }

        @Test
        void cutAfterAManyChunkFileKeepsEveryEarlierCommand() throws Exception {
            // About 3 MB of small commands: the loader reads 1 MB chunks and compacts between them,
            // so commands straddle chunk boundaries.
            Aof aof = new Aof();
            int n = 70_000;
            for (int i = 0; i < n; i++) aof.cmd("SET", "key:" + i, "value-" + i);
            byte[] full = aof.bytes();
            assertThat(full.length).isGreaterThan(3 << 20);
            Files.write(file, Arrays.copyOf(full, full.length - 5));

            Loaded l = load(true);

            assertThat(l.status()).isEqualTo(AofLoader.Status.TRUNCATED);
            assertThat(l.result().commands()).isEqualTo(n - 1);
            assertThat(Files.size(file)).isEqualTo(aof.start(-1));
            assertThat(l.run("DBSIZE")).isEqualTo(":" + (n - 1) + "\r\n");
            assertThat(l.get("key:" + (n - 2))).isEqualTo(bulk("value-" + (n - 2)));
            // Clients are served every 1024 commands while loading.
            assertThat(l.yields()).isEqualTo((n - 1) / 1024);
        }
    }

    @Nested
    class CorruptionInTheMiddle {
        private byte[] withGarbage(String garbage) {
            return new Aof().cmd("SET", "a", "1").raw(garbage).cmd("SET", "b", "2").bytes();
        }

        @ParameterizedTest
        @ValueSource(booleans = {true, false})
        void garbageLineFailsWhateverTheTruncationSetting(boolean aofLoadTruncated) throws Exception {
            byte[] content = withGarbage("hello\r\n");
            Files.write(file, content);

            Loaded l = load(aofLoadTruncated);

            assertThat(l.status()).isEqualTo(AofLoader.Status.FAILED);
            assertThat(Files.readAllBytes(file)).isEqualTo(content);
            assertThat(log()).contains("Bad file format reading the append only file appendonly.aof")
                    .contains("at offset " + Aof.resp("SET", "a", "1").length);
        }

        @ParameterizedTest
        @ValueSource(booleans = {true, false})
        void bulkLengthMismatchFailsWhateverTheTruncationSetting(boolean aofLoadTruncated) throws Exception {
            byte[] content = withGarbage("*2\r\n$3\r\nGET\r\n$3\r\nab\r\n");
            Files.write(file, content);

            Loaded l = load(aofLoadTruncated);

            assertThat(l.status()).isEqualTo(AofLoader.Status.FAILED);
            assertThat(Files.readAllBytes(file)).isEqualTo(content);
        }

        @ParameterizedTest
        @ValueSource(strings = {"*0\r\n", "*1\r\n:5\r\n", "*1\r\n$x\r\nab\r\n", "\r\n", "PING\r\n"})
        void otherMalformedCommandsFail(String garbage) throws Exception {
            byte[] content = withGarbage(garbage);
            Files.write(file, content);

            assertThat(load(true).status()).isEqualTo(AofLoader.Status.FAILED);
            assertThat(Files.readAllBytes(file)).isEqualTo(content);
        }

        @ParameterizedTest
        @ValueSource(booleans = {true, false})
        void unknownCommandFails(boolean aofLoadTruncated) throws Exception {
            byte[] content = new Aof().cmd("SET", "a", "1").cmd("NOSUCHCOMMAND", "x").cmd("SET", "b", "2").bytes();
            Files.write(file, content);

            Loaded l = load(aofLoadTruncated);

            assertThat(l.status()).isEqualTo(AofLoader.Status.FAILED);
            assertThat(Files.readAllBytes(file)).isEqualTo(content);
            assertThat(log()).contains("Unknown command 'NOSUCHCOMMAND' reading the append only file appendonly.aof");
        }

        @Test
        void rdbPreambleIsRefusedNotMisread() throws Exception {
            byte[] content = "REDIS0010\u00fa".getBytes(StandardCharsets.ISO_8859_1);
            Files.write(file, content);

            assertThat(load(true).status()).isEqualTo(AofLoader.Status.FAILED);
            assertThat(Files.readAllBytes(file)).isEqualTo(content);
        }
    }

    @Nested
    class Transactions {
        @Test
        void completeTransactionIsApplied() throws Exception {
            Files.write(file, new Aof().cmd("SET", "a", "1").cmd("MULTI").cmd("SET", "t1", "x").cmd("SET", "t2", "y")
                    .cmd("EXEC").bytes());

            Loaded l = load(true);

            assertThat(l.status()).isEqualTo(AofLoader.Status.OK);
            assertThat(l.get("t1")).isEqualTo(bulk("x"));
            assertThat(l.get("t2")).isEqualTo(bulk("y"));
        }

        @Test
        void transactionWithoutExecAtACleanEndIsReverted() throws Exception {
            Aof aof = new Aof().cmd("SET", "a", "1").cmd("MULTI").cmd("SET", "t1", "x").cmd("SET", "t2", "y");
            Files.write(file, aof.bytes());

            Loaded l = load(true);

            assertThat(l.status()).isEqualTo(AofLoader.Status.TRUNCATED);
            assertThat(l.result().validUpTo()).isEqualTo(aof.start(1));
            assertThat(Files.readAllBytes(file)).isEqualTo(Aof.resp("SET", "a", "1"));
            assertThat(l.get("a")).isEqualTo(bulk("1"));
            assertThat(l.get("t1")).isEqualTo(NIL);
            assertThat(l.get("t2")).isEqualTo(NIL);
            assertThat(log()).contains("Revert incomplete MULTI/EXEC transaction in AOF file appendonly.aof");
        }

        @Test
        void transactionWithoutExecFailsWhenTruncationIsNotAllowed() throws Exception {
            // aof.c jumps to the same uxeof label as a short read, so aof-load-truncated decides.
            byte[] content = new Aof().cmd("SET", "a", "1").cmd("MULTI").cmd("SET", "t1", "x").bytes();
            Files.write(file, content);

            assertThat(load(false).status()).isEqualTo(AofLoader.Status.FAILED);
            assertThat(Files.readAllBytes(file)).isEqualTo(content);
        }

        @Test
        void transactionCutInsideItsSecondSetIsRevertedToBeforeMulti() throws Exception {
            Aof aof = new Aof().cmd("SET", "a", "1").cmd("MULTI").cmd("SET", "t1", "x").cmd("SET", "t2", "y");
            byte[] full = aof.bytes();
            for (int cut = (int) aof.start(3) + 1; cut < full.length; cut++) {
                Files.write(file, Arrays.copyOf(full, cut));

                Loaded l = load(true);

                assertThat(l.status()).as("cut at %d", cut).isEqualTo(AofLoader.Status.TRUNCATED);
                assertThat(Files.readAllBytes(file)).as("cut at %d", cut).isEqualTo(Aof.resp("SET", "a", "1"));
                assertThat(l.get("a")).isEqualTo(bulk("1"));
                assertThat(l.get("t1")).isEqualTo(NIL);
            }
        }

        @Test
        void transactionCutInsideExecIsReverted() throws Exception {
            Aof aof = new Aof().cmd("SET", "a", "1").cmd("MULTI").cmd("SET", "t1", "x").cmd("EXEC");
            byte[] full = aof.bytes();
            Files.write(file, Arrays.copyOf(full, full.length - 3));

            Loaded l = load(true);

            assertThat(l.status()).isEqualTo(AofLoader.Status.TRUNCATED);
            assertThat(Files.size(file)).isEqualTo(aof.start(1));
            assertThat(l.get("t1")).isEqualTo(NIL);
        }
    }

    @Test
    void timestampAnnotationsAreSkipped() throws Exception {
        Aof aof = new Aof().raw("#TS:1700000000\r\n").cmd("SELECT", "0").cmd("SET", "a", "1").raw("#TS:1700000001\r\n")
                .cmd("SET", "b", "2").raw("#TS:1700000002\r\n");
        Files.write(file, aof.bytes());

        Loaded l = load(true);

        assertThat(l.status()).isEqualTo(AofLoader.Status.OK);
        assertThat(l.result().commands()).isEqualTo(3);
        assertThat(l.result().validUpTo()).isEqualTo(aof.size());
        assertThat(l.get("a")).isEqualTo(bulk("1"));
        assertThat(l.get("b")).isEqualTo(bulk("2"));
    }

    @Test
    void annotationCutByTheEndIsTruncatedAway() throws Exception {
        // Left in place, a partial "#TS:17" would swallow the header of the next appended command.
        Aof aof = new Aof().cmd("SET", "a", "1").raw("#TS:17");
        Files.write(file, aof.bytes());

        Loaded l = load(true);

        assertThat(l.status()).isEqualTo(AofLoader.Status.TRUNCATED);
        assertThat(Files.readAllBytes(file)).isEqualTo(Aof.resp("SET", "a", "1"));
    }

    @Test
    void emptyFileIsEmpty() throws Exception {
        Files.write(file, new byte[0]);
        Loaded l = load(true);
        assertThat(l.status()).isEqualTo(AofLoader.Status.EMPTY);
        assertThat(l.result().started()).isTrue();
    }

    @Test
    void missingFileIsNotFound() throws Exception {
        Loaded l = load(true);
        assertThat(l.status()).isEqualTo(AofLoader.Status.NOT_FOUND);
        assertThat(l.result().started()).isTrue();
        assertThat(file).doesNotExist();
    }

    @Test
    void fiveMegabyteValueSpanningManyReadChunksLoads() throws Exception {
        String big = "x".repeat(5 << 20).substring(0, (5 << 20) - 7) + "THE-END";
        Aof aof = new Aof().cmd("SET", "small", "1").cmd("SET", "big", big).cmd("SET", "after", "2");
        Files.write(file, aof.bytes());

        Loaded l = load(true);

        assertThat(l.status()).isEqualTo(AofLoader.Status.OK);
        assertThat(l.run("STRLEN", "big")).isEqualTo(":" + (5 << 20) + "\r\n");
        assertThat(l.get("big")).isEqualTo(bulk(big));
        assertThat(l.get("after")).isEqualTo(bulk("2"));
    }

    @Test
    void hugeDeclaredLengthAtTheTailIsTruncatedWithoutReservingIt() throws Exception {
        // A corrupt tail announcing ~1 TB: the loader must size its buffer by what the file holds.
        Aof aof = new Aof().cmd("SET", "a", "1").raw("*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$999999999999\r\nxy");
        Files.write(file, aof.bytes());

        Loaded l = load(true);

        assertThat(l.status()).isEqualTo(AofLoader.Status.TRUNCATED);
        assertThat(Files.readAllBytes(file)).isEqualTo(Aof.resp("SET", "a", "1"));
        assertThat(l.get("a")).isEqualTo(bulk("1"));
    }

    @Test
    void fiveMegabyteValueCutInTheMiddleIsTruncated() throws Exception {
        String big = "y".repeat(5 << 20);
        Aof aof = new Aof().cmd("SET", "small", "1").cmd("SET", "big", big);
        Files.write(file, Arrays.copyOf(aof.bytes(), aof.size() - (3 << 20)));

        Loaded l = load(true);

        assertThat(l.status()).isEqualTo(AofLoader.Status.TRUNCATED);
        assertThat(Files.size(file)).isEqualTo(aof.start(1));
        assertThat(l.get("small")).isEqualTo(bulk("1"));
        assertThat(l.get("big")).isEqualTo(NIL);
    }
}
