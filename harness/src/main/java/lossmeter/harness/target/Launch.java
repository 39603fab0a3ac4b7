package lossmeter.harness.target;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import lossmeter.faults.target.Policy;

/**
 * How to start a target once: the fsync policy, the data dir it must keep its files in, the log
 * its output is appended to, a work dir for generated files (config files) that must not pollute
 * the data dir, and server directives a fault asked for (redis.conf names and value syntax, e.g.
 * {@code appendonly no}), which win over the target's own defaults.
 */
public record Launch(Policy policy, Path dataDir, Path log, Path workDir, Map<String, String> directives) {
    public Launch {
        dataDir = dataDir.toAbsolutePath().normalize();
        log = log.toAbsolutePath().normalize();
        workDir = workDir.toAbsolutePath().normalize();
        directives = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(directives));
    }

    public Launch(Policy policy, Path dataDir, Path log, Path workDir) {
        this(policy, dataDir, log, workDir, Map.of());
    }
}
