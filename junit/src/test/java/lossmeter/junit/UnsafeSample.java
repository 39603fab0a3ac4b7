package lossmeter.junit;

import java.nio.file.Path;

import lossmeter.faults.target.Policy;
import lossmeter.harness.target.Target;
import lossmeter.harness.target.Targets;

/**
 * Run by {@link DurabilityExtensionIT}: a server that replies before its AOF write loses
 * acknowledged writes to a kill, and a redis target whose binary is missing is a missing
 * prerequisite.
 */
class UnsafeSample {
    @LossmeterTarget
    static Target server() {
        return Targets.bundled("--enable-unsafe-durability-switches yes --unsafe-reply-before-aof-write yes");
    }

    @DurabilityTest(policies = Policy.ALWAYS, faults = "kill", trials = 2, crashes = 2, duration = "2s")
    @Seed(11)
    void repliesBeforeTheAofWrite() {
    }

    /** A target on a machine without it: skipped with the reason (failed when CI=true). */
    static class MissingRedis {
        @LossmeterTarget
        static final Target REDIS = Targets.redis(Path.of("/nonexistent/redis-server"));

        @DurabilityTest(policies = Policy.ALWAYS, faults = "kill")
        void realRedis() {
        }
    }
}
