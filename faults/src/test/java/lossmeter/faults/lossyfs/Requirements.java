package lossmeter.faults.lossyfs;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What the lossyfs integration tests need from the machine. Missing on a developer machine: the
 * test is skipped. Missing in CI ({@code CI=true}): the test fails, so a broken CI image never
 * turns into silently skipped coverage.
 */
final class Requirements {
    private Requirements() {
    }

    static void requireFuse() {
        require(Files.exists(Path.of("/dev/fuse")), "/dev/fuse");
        requireCommand("fusermount3");
        require(Path.of("/lib/x86_64-linux-gnu/libfuse3.so.3").toFile().exists()
                || Path.of("/usr/lib/x86_64-linux-gnu/libfuse3.so.3").toFile().exists()
                || Path.of("/lib/aarch64-linux-gnu/libfuse3.so.3").toFile().exists()
                || Path.of("/usr/lib64/libfuse3.so.3").toFile().exists(), "libfuse3.so.3 (apt-get install libfuse3-3)");
        require("root".equals(System.getProperty("user.name")) || Files.isReadable(Path.of("/etc/fuse.conf")),
                "root, or fusermount3 set up for this user");
    }

    static void requireCommand(String command) {
        String path = System.getenv("PATH");
        boolean found = false;
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                Path p = Path.of(d.isEmpty() ? "." : d, command);
                found |= Files.isRegularFile(p) && Files.isExecutable(p);
            }
        }
        require(found, "the command '" + command + "' on the PATH");
    }

    static void require(boolean available, String what) {
        if (available) return;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail("CI=true and a requirement of this integration test is missing: " + what);
        }
        Assumptions.abort("skipped (requirement missing; this fails when CI=true): " + what);
    }
}
