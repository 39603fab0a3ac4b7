package lossmeter.faults;

import java.time.Duration;

import lossmeter.faults.target.Policy;
import lossmeter.workloads.check.DurabilityBound;
import lossmeter.workloads.check.FaultClass;

/**
 * SIGKILL to the target's whole process group, fork children included, as a machine crash does
 * to processes. The kernel keeps every written page, so no policy may lose an acknowledged write.
 */
final class KillFault implements Fault {
    @Override
    public String name() {
        return "kill";
    }

    @Override
    public FaultClass faultClass() {
        return FaultClass.CRASH;
    }

    @Override
    public void inject(FaultContext trial) {
        trial.markCrash();
        trial.target().kill();
        trial.note("SIGKILL to the process group of " + trial.target());
    }

    @Override
    public DurabilityBound bound(Policy policy, Duration window) {
        return DurabilityBound.NONE;
    }
}
