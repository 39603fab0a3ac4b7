package lossmeter.reports.it;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What an integration test needs from the machine: skipped when missing on a developer machine,
 * failed when missing in CI ({@code CI=true}), so a broken CI image never silently skips coverage.
 */
final class Requirements {
    private Requirements() {
    }

    static Path requireCommand(String command) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                if (d.isEmpty()) continue;
                Path p = Path.of(d, command);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
            }
        }
        String missing = "the command '" + command + "' is not on the PATH (" + path + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail("CI=true and a requirement of this integration test is missing: " + missing);
        }
        Assumptions.abort("skipped (requirement missing; this fails when CI=true): " + missing);
        return null;
    }
}
