package lossmeter.junit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import lossmeter.faults.FaultSpec;
import lossmeter.harness.target.Target;

/**
 * What a campaign needs from the machine beyond the JVM: FUSE for the lossyfs faults, a
 * redis-server binary for a redis target. Checked before anything starts, so a missing one is
 * reported as such rather than as a failing target.
 */
final class Prerequisites {
    private Prerequisites() {
    }

    /** Why this fault cannot run here, or null when it can. */
    static String missingFor(FaultSpec fault) {
        if (!fault.needsFuse()) return null;
        List<String> missing = new ArrayList<>();
        if (!Files.exists(Path.of("/dev/fuse"))) missing.add("/dev/fuse");
        if (onPath("fusermount3") == null) missing.add("fusermount3 (package fuse3)");
        return missing.isEmpty() ? null : "fault '" + fault.name() + "' mounts lossyfs and needs FUSE; missing: " + String.join(", ", missing);
    }

    /** Why this target cannot run here, or null when it can (or when only starting it will tell). */
    static String missingFor(Target target) {
        String spec = target.spec();
        if (spec.equals("redis")) {
            return onPath("redis-server") == null ? "target 'redis' needs redis-server on the PATH (" + System.getenv("PATH") + ")" : null;
        }
        if (spec.startsWith("redis:")) {
            Path p = Path.of(spec.substring("redis:".length()));
            return Files.isExecutable(p) ? null : "target '" + spec + "': no executable redis-server at " + p;
        }
        return null;
    }

    static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private static Path onPath(String command) {
        return lossmeter.harness.target.Targets.onPath(command);
    }
}
