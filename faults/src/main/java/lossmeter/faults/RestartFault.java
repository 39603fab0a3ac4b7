package lossmeter.faults;

import java.time.Duration;

import lossmeter.faults.target.Policy;
import lossmeter.workloads.check.DurabilityBound;
import lossmeter.workloads.check.FaultClass;

/**
 * A graceful SHUTDOWN and restart: the control case, and the end of every trial. A server flushes
 * and fsyncs its log on the way out, so nothing acknowledged may be lost under any policy.
 */
final class RestartFault implements Fault {
    @Override
    public String name() {
        return "restart";
    }

    @Override
    public FaultClass faultClass() {
        return FaultClass.CRASH;
    }

    @Override
    public void inject(FaultContext trial) {
        trial.markCrash();
        trial.target().shutdown();
        trial.note("SHUTDOWN sent to " + trial.target());
    }

    @Override
    public DurabilityBound bound(Policy policy, Duration window) {
        return DurabilityBound.NONE;
    }
}
