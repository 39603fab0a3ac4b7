package lossmeter.server.aof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import lossmeter.server.config.FsyncPolicy;
import lossmeter.server.config.ServerConfig;
import lossmeter.server.log.Log;

/**
 * Pins down AofWriter's handling of a real ENOSPC on a tiny tmpfs: short writes are cut back to a
 * whole command, everysec/no refuse writes with MISCONF and recover by themselves once space
 * returns, and always exits with status 1.
 */
@Tag("integration")
class AofWriterEnospcIT {
    @TempDir
    Path tmp;
    Path mnt;
    boolean mounted;
    Path file;
    Path logFile;
    AofWriter writer;
    final List<Integer> exits = new ArrayList<>();

    @BeforeEach
    void mountTinyTmpfs() throws Exception {
        mnt = Files.createDirectory(tmp.resolve("mnt"));
        logFile = tmp.resolve("server.log"); // outside the tiny file system, so logging never fails
        String why = run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt.toString());
        if (why != null) {
            // In CI the test must run: a runner that cannot mount is a broken runner, not a skip.
            if ("true".equals(System.getenv("CI"))) fail("cannot mount a tmpfs for the ENOSPC test (needs root): " + why);
            assumeTrue(false, "cannot mount a tmpfs (needs root): " + why);
        }
        mounted = true;
        file = mnt.resolve("appendonly.aof");
    }

    @AfterEach
    void unmount() throws Exception {
        if (writer != null) writer.close();
        if (mounted) {
            String why = run("umount", mnt.toString());
            assertThat(why).as("umount %s", mnt).isNull();
        }
    }

    /** Runs a command; null on success, else its output. */
    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timed out";
        }
        return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out.strip();
    }

    private AofWriter open(FsyncPolicy policy) throws IOException {
        ServerConfig cfg = new ServerConfig();
        cfg.appendfsync = policy;
        writer = AofWriter.open(cfg, Log.toFile(logFile.toString()), file, exits::add);
        return writer;
    }

    private static byte[][] argv(String... args) {
        byte[][] out = new byte[args.length][];
        for (int i = 0; i < args.length; i++) out[i] = args[i].getBytes(StandardCharsets.UTF_8);
        return out;
    }

    private static String resp(String... args) {
        return new String(Aof.resp(args), StandardCharsets.UTF_8);
    }

    /** Fills the file system so that exactly one free page is left; returns the filler file. */
    private Path leaveOnePageFree() throws IOException {
        Path filler = mnt.resolve("filler");
        long usable = Files.getFileStore(mnt).getUsableSpace();
        assertThat(usable).isGreaterThan(4096);
        Files.write(filler, new byte[(int) (usable - 4096)]);
        assertThat(Files.getFileStore(mnt).getUsableSpace()).isEqualTo(4096);
        return filler;
    }

    private static final String BIG = "v".repeat(16 * 1024);

    @ParameterizedTest
    @EnumSource(value = FsyncPolicy.class, names = {"EVERYSEC", "NO"})
    void shortWriteIsCutBackThenRetriedUntilSpaceReturns(FsyncPolicy policy) throws Exception {
        AofWriter w = open(policy);
        w.feed(0, argv("SET", "a", "1"));
        w.flush(false);
        String good = resp("SELECT", "0") + resp("SET", "a", "1");
        assertThat(Files.readString(file)).isEqualTo(good);
        Path filler = leaveOnePageFree();

        // 16 KB into roughly 8 KB of room: part of it lands, then ENOSPC.
        w.feed(0, argv("SET", "big", BIG));
        int buffered = w.bufferLength();
        long failedAt = System.currentTimeMillis(); // the writer times its retries from the start of the failed flush
        w.flush(false);

        assertThat(w.writeDeniedReason()).isEqualTo("Errors writing to the AOF file: No space left on device");
        assertThat(w.lastWriteOk()).isFalse();
        assertThat(exits).isEmpty();
        // The partial command was taken back out: the file still ends on a whole command.
        assertThat(Files.readString(file)).isEqualTo(good);
        assertThat(w.currentSize()).isEqualTo(good.length());
        assertThat(w.bufferLength()).isEqualTo(buffered);
        assertThat(Files.readString(logFile)).contains("Short write while writing to the AOF file: (nwritten=");

        // Still full: the cron's retries keep failing and keep the buffer.
        w.cron();
        assertThat(w.writeDeniedReason()).isNotNull();

        Files.delete(filler);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
            w.cron();
            return w.writeDeniedReason() == null;
        });

        // The cron retries once a second, as Redis's serverCron does.
        assertThat(System.currentTimeMillis() - failedAt).isGreaterThanOrEqualTo(1000 - 20);
        assertThat(w.lastWriteOk()).isTrue();
        assertThat(w.bufferLength()).isZero();
        assertThat(Files.readString(file)).isEqualTo(good + resp("SET", "big", BIG));
        assertThat(w.currentSize()).isEqualTo(Files.size(file));
        assertThat(Files.readString(logFile)).contains("AOF write error looks solved, Redis can write again.");
    }

    @Test
    // Redis logs a failing AOF write at most once per AOF_WRITE_LOG_ERROR_RATE = 30 s (aof.c, can_log):
    // flush runs before every event-loop sleep, and a full disk must not flood the log.
    void repeatedWriteErrorsAreLoggedAtMostOnceEveryThirtySeconds() throws Exception {
        AofWriter w = open(FsyncPolicy.EVERYSEC);
        w.feed(0, argv("SET", "a", "1"));
        w.flush(false);
        leaveOnePageFree();
        w.feed(0, argv("SET", "big", BIG));
        for (int i = 0; i < 20; i++) w.flush(false);

        assertThat(w.writeDeniedReason()).isNotNull();
        String log = Files.readString(logFile);
        int lines = log.split("Short write while writing to the AOF file", -1).length - 1;
        assertThat(lines).isEqualTo(1);
    }

    @Test
    void alwaysExitsWithStatusOneOnAWriteError() throws Exception {
        AofWriter w = open(FsyncPolicy.ALWAYS);
        w.feed(0, argv("SET", "a", "1"));
        w.flush(false);
        String good = resp("SELECT", "0") + resp("SET", "a", "1");
        leaveOnePageFree();

        w.feed(0, argv("SET", "big", BIG));
        w.flush(false);

        assertThat(exits).containsExactly(1);
        assertThat(Files.readString(file)).isEqualTo(good);
        assertThat(Files.readString(logFile))
                .contains("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
    }
}
