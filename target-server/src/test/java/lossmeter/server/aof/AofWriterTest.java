package lossmeter.server.aof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import lossmeter.server.config.FsyncPolicy;
import lossmeter.server.config.ServerConfig;
import lossmeter.server.log.Log;

/**
 * Pins down what {@link AofWriter} puts in the file and when: exact RESP with SELECT on db
 * changes, {@code #TS:} annotations, and each fsync policy's rules, including everysec's
 * postponement of the write while a background fsync is still running.
 */
class AofWriterTest {
    @TempDir
    Path dir;
    Path file;
    Path logFile;
    AofWriter writer;
    final List<Integer> exits = new ArrayList<>();
    final CountDownLatch releaseBio = new CountDownLatch(1);

    @BeforeEach
    void paths() {
        file = dir.resolve("appendonly.aof");
        logFile = dir.resolve("server.log");
    }

    @AfterEach
    void close() throws IOException {
        releaseBio.countDown();
        if (writer != null) writer.close();
    }

    AofWriter open(FsyncPolicy policy) throws IOException {
        return open(policy, false);
    }

    AofWriter open(FsyncPolicy policy, boolean timestamps) throws IOException {
        ServerConfig cfg = new ServerConfig();
        cfg.appendfsync = policy;
        cfg.aofTimestampEnabled = timestamps;
        writer = AofWriter.open(cfg, Log.toFile(logFile.toString()), file, exits::add);
        return writer;
    }

    String log() throws IOException {
        return Files.exists(logFile) ? Files.readString(logFile) : "";
    }

    static byte[][] argv(String... args) {
        byte[][] out = new byte[args.length][];
        for (int i = 0; i < args.length; i++) out[i] = args[i].getBytes(StandardCharsets.UTF_8);
        return out;
    }

    static String resp(String... args) {
        return new String(Aof.resp(args), StandardCharsets.UTF_8);
    }

    String content() throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /**
     * Occupies the writer's single background-fsync thread until the test ends, so that the next
     * background fsync it schedules stays "in progress" (pendingFsyncs > 0), exactly as a slow disk
     * would leave it. There is no test hook for this in AofWriter, so it reaches the private
     * executor of its {@link BackgroundFsync} by reflection.
     */
    void stallBackgroundFsync(AofWriter w) throws Exception {
        Field f = AofWriter.class.getDeclaredField("bio");
        f.setAccessible(true);
        Field executor = BackgroundFsync.class.getDeclaredField("bio");
        executor.setAccessible(true);
        ExecutorService bio = (ExecutorService) executor.get(f.get(w));
        CountDownLatch started = new CountDownLatch(1);
        bio.execute(() -> {
            started.countDown();
            try {
                releaseBio.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    }

    /** Waits until at least a second has passed since {@code since}, the everysec fsync period. */
    static void awaitOneSecondAfter(long since) {
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(10))
                .until(() -> System.currentTimeMillis() - since >= 1000);
    }

    @Nested
    class Contents {
        @ParameterizedTest
        @EnumSource(FsyncPolicy.class)
        void feedAndFlushWriteExactlyTheRespWithSelectOnDbChanges(FsyncPolicy policy) throws Exception {
            AofWriter w = open(policy);
            w.feed(0, argv("SET", "a", "1"));
            w.feed(0, argv("SET", "b", "2"));
            w.feed(2, argv("SET", "c", "3"));
            w.feed(2, argv("INCR", "n"));
            w.feed(0, argv("DEL", "a"));
            // Nothing reaches the file before the flush that precedes the replies.
            assertThat(Files.size(file)).isZero();
            assertThat(w.bufferLength()).isPositive();

            w.flush(false);

            String expected = resp("SELECT", "0") + resp("SET", "a", "1") + resp("SET", "b", "2") + resp("SELECT", "2")
                    + resp("SET", "c", "3") + resp("INCR", "n") + resp("SELECT", "0") + resp("DEL", "a");
            assertThat(content()).isEqualTo(expected);
            assertThat(w.bufferLength()).isZero();
            assertThat(w.currentSize()).isEqualTo(expected.length());
            assertThat(w.lastWriteOk()).isTrue();
            assertThat(w.writeDeniedReason()).isNull();
        }

        @Test
        void binaryArgumentsAreWrittenVerbatim() throws Exception {
            AofWriter w = open(FsyncPolicy.NO);
            byte[] value = {0, '\r', '\n', (byte) 0xff, '*', '$'};
            w.feed(0, new byte[][]{"SET".getBytes(StandardCharsets.US_ASCII), "k".getBytes(StandardCharsets.US_ASCII), value});
            w.flush(false);
            byte[] tail = "$6\r\n".getBytes(StandardCharsets.US_ASCII);
            byte[] all = Files.readAllBytes(file);
            byte[] expectedEnd = new byte[tail.length + value.length + 2];
            System.arraycopy(tail, 0, expectedEnd, 0, tail.length);
            System.arraycopy(value, 0, expectedEnd, tail.length, value.length);
            expectedEnd[expectedEnd.length - 2] = '\r';
            expectedEnd[expectedEnd.length - 1] = '\n';
            assertThat(all).endsWith(expectedEnd);
        }

        @Test
        void resetSelectedDbForcesANewSelect() throws Exception {
            AofWriter w = open(FsyncPolicy.NO);
            w.feed(1, argv("SET", "a", "1"));
            w.resetSelectedDb();
            w.feed(1, argv("SET", "b", "2"));
            w.flush(false);
            assertThat(content()).isEqualTo(resp("SELECT", "1") + resp("SET", "a", "1") + resp("SELECT", "1")
                    + resp("SET", "b", "2"));
        }

        @Test
        void reopeningAppendsAfterTheExistingContentWithAFreshSelect() throws Exception {
            String existing = resp("SELECT", "0") + resp("SET", "old", "1");
            Files.writeString(file, existing);

            AofWriter w = open(FsyncPolicy.NO);
            assertThat(w.currentSize()).isEqualTo(existing.length());
            assertThat(w.baseSize()).isEqualTo(existing.length());
            w.feed(0, argv("SET", "new", "2"));
            w.flush(false);

            // A new process does not know which db the file last selected, so it says it again.
            assertThat(content()).isEqualTo(existing + resp("SELECT", "0") + resp("SET", "new", "2"));
        }

        @Test
        void openCreatesTheFile() throws Exception {
            open(FsyncPolicy.EVERYSEC);
            assertThat(file).exists().isEmptyFile();
        }

        @Test
        void emptyFlushWritesNothing() throws Exception {
            AofWriter w = open(FsyncPolicy.ALWAYS);
            w.flush(false);
            w.flush(true);
            assertThat(Files.size(file)).isZero();
            assertThat(w.currentSize()).isZero();
        }
    }

    @Nested
    class Timestamps {
        private static final Pattern TS = Pattern.compile("#TS:(\\d+)\r\n");

        private List<Long> timestamps(String s) {
            List<Long> out = new ArrayList<>();
            Matcher m = TS.matcher(s);
            while (m.find()) out.add(Long.parseLong(m.group(1)));
            return out;
        }

        @Test
        void annotationPrecedesTheFirstCommandOfEachNewSecond() throws Exception {
            AofWriter w = open(FsyncPolicy.NO, true);
            long before = System.currentTimeMillis() / 1000;
            w.feed(0, argv("SET", "a", "1"));
            w.feed(0, argv("SET", "b", "2"));
            long after = System.currentTimeMillis() / 1000;
            w.flush(false);

            String s = content();
            // Redis writes the annotation first, then SELECT, then the command.
            assertThat(s).matches("(?s)#TS:\\d+\r\n\\*2\r\n\\$6\r\nSELECT\r\n.*");
            List<Long> ts = timestamps(s);
            assertThat(ts).isNotEmpty().hasSizeLessThanOrEqualTo((int) (after - before + 1)).isSorted();
            assertThat(ts).allSatisfy(t -> assertThat(t).isBetween(before, after));
            assertThat(s.replaceAll("#TS:\\d+\r\n", "")).isEqualTo(resp("SELECT", "0") + resp("SET", "a", "1")
                    + resp("SET", "b", "2"));

            // In a later second, the next command gets a new annotation.
            long last = ts.getLast();
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(10))
                    .until(() -> System.currentTimeMillis() / 1000 > last);
            w.feed(0, argv("SET", "c", "3"));
            w.flush(false);
            List<Long> later = timestamps(content());
            assertThat(later).hasSize(ts.size() + 1);
            assertThat(later.getLast()).isGreaterThan(last);
            assertThat(content()).endsWith("#TS:" + later.getLast() + "\r\n" + resp("SET", "c", "3"));
        }

        @Test
        void noAnnotationsWhenDisabled() throws Exception {
            AofWriter w = open(FsyncPolicy.NO, false);
            w.feed(0, argv("SET", "a", "1"));
            w.flush(false);
            assertThat(content()).doesNotContain("#TS:");
        }
    }

    @Nested
    class Always {
        @Test
        void flushWritesAndSyncsInTheForeground() throws Exception {
            AofWriter w = open(FsyncPolicy.ALWAYS);
            for (int i = 0; i < 5; i++) {
                w.feed(0, argv("INCR", "n"));
                w.flush(false);
                // The fsync happened inside flush(): nothing is left for a background thread.
                assertThat(w.fsyncInProgress()).isFalse();
                assertThat(w.pendingBioFsync()).isZero();
                assertThat(w.bufferLength()).isZero();
                assertThat(w.currentSize()).isEqualTo(Files.size(file));
            }
            assertThat(w.delayedFsync()).isZero();
            assertThat(exits).isEmpty();
        }

        @Test
        void neverPostponesEvenWithABusyBackgroundThread() throws Exception {
            AofWriter w = open(FsyncPolicy.ALWAYS);
            stallBackgroundFsync(w);
            w.feed(0, argv("SET", "a", "1"));
            w.flush(false);
            assertThat(w.bufferLength()).isZero();
            assertThat(content()).endsWith(resp("SET", "a", "1"));
        }
    }

    @Nested
    class Everysec {
        @Test
        void writesImmediatelyWhenNoFsyncIsRunning() throws Exception {
            AofWriter w = open(FsyncPolicy.EVERYSEC);
            w.feed(0, argv("SET", "a", "1"));
            w.flush(false);
            assertThat(w.bufferLength()).isZero();
            assertThat(content()).isEqualTo(resp("SELECT", "0") + resp("SET", "a", "1"));
        }

        @Test
        void backgroundFsyncIsScheduledOncePerSecond() throws Exception {
            long beforeOpen = System.currentTimeMillis();
            AofWriter w = open(FsyncPolicy.EVERYSEC);
            long opened = System.currentTimeMillis();
            stallBackgroundFsync(w);

            w.feed(0, argv("SET", "a", "1"));
            w.flush(false);
            // Less than a second since the last fsync (the open): none scheduled yet.
            if (System.currentTimeMillis() - beforeOpen < 1000) assertThat(w.pendingBioFsync()).isZero();

            awaitOneSecondAfter(opened);
            w.feed(0, argv("SET", "b", "2"));
            w.flush(false);
            assertThat(w.pendingBioFsync()).isEqualTo(1);
            assertThat(w.fsyncInProgress()).isTrue();

            releaseBio.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> !w.fsyncInProgress());
            assertThat(w.lastWriteOk()).isTrue();
        }

        @Test
        void idleWriterStillFsyncsWritesOfTheLastSecond() throws Exception {
            // Writes that stop within a second of the last fsync must still be fsynced by a later
            // (empty) flush; otherwise an idle server keeps acknowledged data unsynced forever.
            AofWriter w = open(FsyncPolicy.EVERYSEC);
            long opened = System.currentTimeMillis();
            stallBackgroundFsync(w);
            w.feed(0, argv("SET", "a", "1"));
            w.flush(false);
            int scheduledByWrite = w.pendingBioFsync();

            awaitOneSecondAfter(opened);
            w.flush(false);

            assertThat(w.pendingBioFsync()).isEqualTo(1);
            assertThat(scheduledByWrite).isLessThanOrEqualTo(1);
        }

        @Test
        void writeIsPostponedUpToTwoSecondsWhileABackgroundFsyncRuns() throws Exception {
            AofWriter w = open(FsyncPolicy.EVERYSEC);
            long opened = System.currentTimeMillis();
            stallBackgroundFsync(w);
            awaitOneSecondAfter(opened);

            // This write goes out and schedules a background fsync, which the stalled thread holds.
            w.feed(0, argv("SET", "a", "1"));
            w.flush(false);
            assertThat(w.fsyncInProgress()).isTrue();
            long sizeBefore = Files.size(file);

            // The next one is postponed: buffered, not written, not counted yet.
            w.feed(0, argv("SET", "b", "2"));
            long postponedAt = System.currentTimeMillis();
            w.flush(false);
            assertThat(w.bufferLength()).isPositive();
            assertThat(Files.size(file)).isEqualTo(sizeBefore);
            assertThat(w.delayedFsync()).isZero();

            // The cron keeps retrying; after two seconds the buffer is written anyway.
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
                w.cron();
                return w.bufferLength() == 0;
            });
            long waited = System.currentTimeMillis() - postponedAt;

            assertThat(waited).isGreaterThanOrEqualTo(2000 - 20);
            assertThat(w.delayedFsync()).isEqualTo(1);
            assertThat(content()).endsWith(resp("SET", "a", "1") + resp("SET", "b", "2"));
            assertThat(w.currentSize()).isEqualTo(Files.size(file));
            assertThat(log()).contains("Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer "
                    + "without waiting for fsync to complete, this may slow down Redis.");
        }

        @Test
        void forcedFlushIgnoresThePostponement() throws Exception {
            // Shutdown (and flushAndSync) must not wait for a slow background fsync.
            AofWriter w = open(FsyncPolicy.EVERYSEC);
            long opened = System.currentTimeMillis();
            stallBackgroundFsync(w);
            awaitOneSecondAfter(opened);
            w.feed(0, argv("SET", "a", "1"));
            w.flush(false);
            assertThat(w.fsyncInProgress()).isTrue();

            w.feed(0, argv("SET", "b", "2"));
            w.flush(true);

            assertThat(w.bufferLength()).isZero();
            assertThat(w.delayedFsync()).isZero();
            assertThat(content()).endsWith(resp("SET", "b", "2"));
        }
    }

    @Nested
    class Shutdown {
        @ParameterizedTest
        @EnumSource(FsyncPolicy.class)
        void flushAndSyncWritesEverythingWhateverThePolicy(FsyncPolicy policy) throws Exception {
            AofWriter w = open(policy);
            w.feed(0, argv("SET", "a", "1"));
            w.flushAndSync();
            assertThat(w.bufferLength()).isZero();
            assertThat(content()).isEqualTo(resp("SELECT", "0") + resp("SET", "a", "1"));
            assertThat(log()).contains("Calling fsync() on the AOF file.");
        }
    }
}
