package lossmeter.harness.target;

import java.nio.file.Path;

import lossmeter.faults.target.Policy;

/**
 * How to start a target once: the fsync policy, the data dir it must keep its files in, the log
 * its output is appended to, and a work dir for generated files (config files) that must not
 * pollute the data dir.
 */
public record Launch(Policy policy, Path dataDir, Path log, Path workDir) {
    public Launch {
        dataDir = dataDir.toAbsolutePath().normalize();
        log = log.toAbsolutePath().normalize();
        workDir = workDir.toAbsolutePath().normalize();
    }
}
