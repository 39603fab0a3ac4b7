package lossmeter.faults.lossyfs;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.awaitility.core.ConditionTimeoutException;

/**
 * One lossyfs process started for a directory: {@link #start} returns once the mount answers,
 * {@link #stop} ends it by its own pid and guarantees the mount is gone, {@link #kill} SIGKILLs it
 * (a crash of lossyfs itself: no final write-back, a stale mount the next start cleans).
 */
public final class LossyFsProcess implements AutoCloseable {
    /** How to run lossyfs; {@link #of} gives the defaults (strict, 512-byte sectors, no writeback). */
    public record Options(Path backing, Path mount, Path control, MetadataMode metadata, int sectorSize,
                          Duration writebackAge) {
        public static Options of(Path backing, Path mount, Path control) {
            return new Options(backing, mount, control, MetadataMode.STRICT, 512, Duration.ZERO);
        }

        public Options withMetadata(MetadataMode mode) {
            return new Options(backing, mount, control, mode, sectorSize, writebackAge);
        }

        public Options withSectorSize(int bytes) {
            return new Options(backing, mount, control, metadata, bytes, writebackAge);
        }

        public Options withWritebackAge(Duration age) {
            return new Options(backing, mount, control, metadata, sectorSize, age);
        }

        /** The command-line arguments of {@code lossmeter lossyfs}. */
        public List<String> args() {
            return List.of("--backing", backing.toString(), "--mount", mount.toString(), "--control", control.toString(),
                    "--metadata", metadata.name().toLowerCase(Locale.ROOT), "--sector", Integer.toString(sectorSize),
                    "--writeback-age", writebackAge.toMillis() + "ms");
        }
    }

    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Process process;
    private final Options options;
    private final Path log;
    private LossyFsControl control;

    private LossyFsProcess(Process process, Options options, Path log) {
        this.process = process;
        this.options = options;
        this.log = log;
    }

    /** Starts lossyfs in a JVM like this one (same java, same class path), logging to {@code log}. */
    public static LossyFsProcess start(Options options, Path log) throws IOException {
        return start(javaCommand(), options, log, Duration.ofSeconds(30));
    }

    /**
     * Starts {@code command} + the options' arguments (e.g. {@code ./lossmeter lossyfs}) and
     * waits until it prints its ready line and the mount shows in mountinfo; on failure the
     * process is stopped and the exception quotes its log.
     */
    public static LossyFsProcess start(List<String> command, Options options, Path log, Duration readyTimeout) throws IOException {
        List<String> full = new ArrayList<>(command);
        full.addAll(options.args());
        Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LossyFsProcess lfs = new LossyFsProcess(p, options, log);
        try {
            await().atMost(readyTimeout).pollInterval(Duration.ofMillis(20))
                    .until(() -> !p.isAlive() || (lfs.logText().contains(LossyFsMain.READY) && Mounts.at(options.mount()).isPresent()));
        } catch (ConditionTimeoutException e) {
            lfs.stop();
            throw new LossyFsException("lossyfs did not mount " + options.mount() + " within " + readyTimeout + "; log:\n" + lfs.logText());
        }
        if (!p.isAlive()) {
            lfs.stop();
            throw new LossyFsException("lossyfs exited with status " + p.exitValue() + " before mounting; log:\n" + lfs.logText());
        }
        return lfs;
    }

    /** java, native access for jfuse, this JVM's class path, and the main class. */
    public static List<String> javaCommand() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), LossyFsMain.class.getName());
    }

    /** The same command on a node: its JDK, the harness's class path made available there. */
    public static List<String> javaCommand(lossmeter.faults.node.JavaRuntime runtime) {
        List<String> cmd = new ArrayList<>(runtime.java(lossmeter.faults.node.JavaRuntime.harnessClasspath()));
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", LossyFsMain.class.getName()));
        return cmd;
    }

    public long pid() {
        return process.pid();
    }

    public Options options() {
        return options;
    }

    public Path mount() {
        return options.mount();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The control client, connected on first use. */
    public synchronized LossyFsControl control() throws LossyFsException {
        if (control == null) control = LossyFsControl.connect(options.control());
        return control;
    }

    /** Everything lossyfs printed so far. */
    public String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** SIGKILL by pid: lossyfs dies without writing back or unmounting, leaving a stale mount. */
    public void kill() throws IOException {
        closeControl();
        process.destroyForcibly();
        waitFor(process, STOP_GRACE);
    }

    /**
     * SIGTERM by pid (lossyfs unmounts and writes everything back), SIGKILL if it is still alive
     * after 30 s, then a lazy unmount of exactly its mount path if the mount is somehow still there.
     */
    public void stop() throws IOException {
        closeControl();
        if (process.isAlive()) {
            process.destroy();
            if (!waitFor(process, STOP_GRACE)) {
                process.destroyForcibly();
                waitFor(process, STOP_GRACE);
            }
        }
        if (Mounts.at(options.mount()).isPresent() && !Mounts.lazyUnmount(options.mount())) {
            throw new LossyFsException("lossyfs stopped but " + options.mount() + " is still mounted");
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }

    private synchronized void closeControl() {
        if (control != null) {
            try {
                control.close();
            } catch (IOException e) {
                // The socket dies with the process anyway.
            }
            control = null;
        }
    }

    private static boolean waitFor(Process p, Duration d) {
        try {
            return p.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }
}
