package lossmeter.faults;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import lossmeter.faults.target.Policy;
import lossmeter.faults.target.RunningTarget;
import lossmeter.workloads.check.DurabilityBound;
import lossmeter.workloads.check.FaultClass;

/**
 * A fault that ends the target's process and nothing else: {@code kill} (SIGKILL to the whole
 * process group, fork children included, as a machine crash does to processes) and {@code
 * restart} (a graceful SHUTDOWN, the control case and the end of every trial). The kernel keeps
 * every written page, so no policy may lose an acknowledged write.
 */
final class ProcessFault implements Fault {
    private final String name;
    private final String action;
    private final Consumer<RunningTarget> stop;

    private ProcessFault(String name, String action, Consumer<RunningTarget> stop) {
        this.name = name;
        this.action = action;
        this.stop = stop;
    }

    static ProcessFault kill() {
        return new ProcessFault("kill", "SIGKILL to the process group of ", RunningTarget::kill);
    }

    static ProcessFault restart() {
        return new ProcessFault("restart", "SHUTDOWN sent to ", RunningTarget::shutdown);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public FaultClass faultClass() {
        return FaultClass.CRASH;
    }

    @Override
    public void inject(FaultContext trial) {
        boolean wasAlive = trial.target().alive();
        trial.markCrash();
        stop.accept(trial.target());
        trial.note(action + trial.target());
        trial.recordCrashPoint(CrashPoint.time());
        trial.recordEffect(wasAlive ? FaultEffect.effective(action + "the running target", Map.of())
                : FaultEffect.none("the target had already exited before the " + name, Map.of()));
    }

    @Override
    public DurabilityBound bound(Policy policy, Duration window) {
        return DurabilityBound.NONE;
    }
}
