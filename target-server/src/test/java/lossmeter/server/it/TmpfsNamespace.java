package lossmeter.server.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import lossmeter.testsupport.Requirements;

/**
 * A private mount namespace with a small tmpfs mounted on a directory, kept alive by a holder
 * process ({@code unshare --mount … exec sleep infinity}). Servers run inside it through
 * {@code nsenter --mount=/proc/<holder>/ns/mnt} (which execs, so the server's PID is the
 * java process), can be restarted on the same tmpfs, and files in it can be changed and read
 * through nsenter. {@link #close()} kills the holder by its own handle; the tmpfs goes away with
 * the last process of the namespace.
 */
final class TmpfsNamespace implements AutoCloseable {
    private static final String READY = "TMPFS-NAMESPACE-READY";

    private final Process holder;
    private final Path mountPoint;
    private final Path holderLog;

    private TmpfsNamespace(Process holder, Path mountPoint, Path holderLog) {
        this.holder = holder;
        this.mountPoint = mountPoint;
        this.holderLog = holderLog;
    }

    /**
     * Mounts a tmpfs of {@code size} on {@code mountPoint} in a new mount namespace and fills it
     * with a {@code filler} file of {@code fillerKb} KiB. Skips the test when that is impossible
     * here, or fails it in CI.
     */
    static TmpfsNamespace create(Path mountPoint, String size, int fillerKb, Path logDir) throws IOException {
        Requirements.requireCommand("unshare");
        Requirements.requireCommand("nsenter");
        Requirements.requireCommand("mount");
        Files.createDirectories(mountPoint);
        Path log = logDir.resolve("namespace-holder.log");
        String script = "mount -t tmpfs -o size=" + size + " tmpfs \"$0\" && dd if=/dev/zero of=\"$0/filler\" bs=1k count="
                + fillerKb + " 2>&1 && echo " + READY + " && exec sleep infinity";
        Process p = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", "-c", script,
                mountPoint.toAbsolutePath().toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        TmpfsNamespace ns = new TmpfsNamespace(p, mountPoint, log);
        try {
            await("the tmpfs namespace").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> ns.holderOutput().contains(READY) || !p.isAlive());
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        if (!ns.holderOutput().contains(READY)) {
            String why = "could not mount a tmpfs in a private mount namespace (unshare --mount, then mount -t tmpfs; needs "
                    + "root or CAP_SYS_ADMIN): exit status " + p.exitValue() + ", output:\n" + ns.holderOutput();
            ns.close();
            Requirements.unavailable(why);
        }
        try {
            ns.exec("test", "-f", mountPoint.resolve("filler").toAbsolutePath().toString());
        } catch (IOException | AssertionError e) {
            ns.close();
            Requirements.unavailable("could not enter the mount namespace with nsenter --mount=/proc/" + p.pid() + "/ns/mnt, or the "
                    + "tmpfs is not visible in it: " + e.getMessage());
        }
        return ns;
    }

    String holderOutput() throws IOException {
        return Files.exists(holderLog) ? new String(Files.readAllBytes(holderLog), StandardCharsets.UTF_8) : "";
    }

    long holderPid() {
        return holder.pid();
    }

    Path mountPoint() {
        return mountPoint;
    }

    /** The prefix that runs a command inside the namespace. */
    List<String> nsenter() {
        return List.of("nsenter", "--mount=/proc/" + holder.pid() + "/ns/mnt");
    }

    /** Runs a command inside the namespace; fails on a non-zero status. Returns its output. */
    String exec(String... cmd) throws IOException {
        if (!holder.isAlive()) throw new IllegalStateException("the namespace holder is gone:\n" + holderOutput());
        List<String> all = new ArrayList<>(nsenter());
        all.addAll(List.of(cmd));
        return ChildProcess.run(Duration.ofSeconds(30), all);
    }

    /** Copies a file from the tmpfs to a path outside it (the rest of the file system is shared). */
    void copyOut(String name, Path target) throws IOException {
        exec("cp", mountPoint.resolve(name).toAbsolutePath().toString(), target.toAbsolutePath().toString());
    }

    @Override
    public void close() {
        if (holder.isAlive()) {
            holder.destroyForcibly();
            await("namespace holder exit").atMost(ChildProcess.EXIT_TIMEOUT).until(() -> !holder.isAlive());
        }
    }
}
