package lossmeter.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What an integration test needs from the machine. Missing on a developer machine: the test is
 * skipped (aborted assumption). Missing in CI ({@code CI=true}): the test fails, so that a broken
 * CI image never turns into silently skipped coverage.
 */
public final class Requirements {
    private Requirements() {
    }

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Requires an executable on the PATH and returns it. */
    public static Path requireCommand(String command) {
        Path p = onPath(command);
        if (p == null) unavailable("the command '" + command + "' is not on the PATH (" + System.getenv("PATH") + ")");
        return p;
    }

    /** Requires a capability that was probed some other way. */
    public static void require(boolean available, String whatIsMissing) {
        if (!available) unavailable(whatIsMissing);
    }

    /** Skips the test, or fails it in CI. Never returns normally. */
    public static void unavailable(String whatIsMissing) {
        if (inCi()) {
            Assertions.fail("CI=true and a requirement of this integration test is missing: " + whatIsMissing);
        }
        Assumptions.abort("skipped (requirement missing; this fails when CI=true): " + whatIsMissing);
    }

    /** The executable {@code command} in the first PATH dir that has one, or null. */
    public static Path onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String d : path.split(File.pathSeparator)) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, command);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
        }
        return null;
    }

    /**
     * OpenSSH's server for {@link Sshd}: sshd ({@code /usr/sbin/sshd}, which is off a non-root
     * user's PATH on Debian, or on the PATH) and ssh-keygen. Returns sshd.
     */
    public static Path requireSshd() {
        Path sshd = Sshd.executable();
        if (sshd == null) unavailable("sshd, in /usr/sbin or on the PATH (apt-get install openssh-server)");
        requireCommand("ssh-keygen");
        return sshd;
    }

    /** FUSE for the lossyfs tests and faults: /dev/fuse, fusermount3, libfuse3, and the right to mount. */
    public static void requireFuse() {
        require(Files.exists(Path.of("/dev/fuse")), "/dev/fuse");
        requireCommand("fusermount3");
        require(Stream.of("/lib/x86_64-linux-gnu/libfuse3.so.3", "/usr/lib/x86_64-linux-gnu/libfuse3.so.3",
                "/lib/aarch64-linux-gnu/libfuse3.so.3", "/usr/lib/aarch64-linux-gnu/libfuse3.so.3", "/usr/lib64/libfuse3.so.3")
                .anyMatch(f -> Files.exists(Path.of(f))), "libfuse3.so.3 (apt-get install libfuse3-3)");
        require("root".equals(System.getProperty("user.name")) || Files.isReadable(Path.of("/etc/fuse.conf")),
                "root, or fusermount3 set up for this user");
    }

    /**
     * A Docker daemon that answers (Docker Engine 20.10 or newer; {@code ./test} starts one) and a
     * static busybox, which lossmeter's container image is built from.
     */
    public static void requireDocker() {
        requireCommand("docker");
        boolean answers;
        try {
            Process p = new ProcessBuilder("docker", "version", "--format", "{{.Server.Version}}").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            answers = p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException e) {
            answers = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answers = false;
        }
        require(answers, "a Docker daemon that answers (docker version failed; start dockerd)");
        require(Stream.of("/bin/busybox", "/usr/bin/busybox").anyMatch(f -> Files.isExecutable(Path.of(f))),
                "a static busybox (apt-get install busybox-static)");
    }
}
