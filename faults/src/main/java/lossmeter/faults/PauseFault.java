package lossmeter.faults;

import java.time.Duration;
import java.util.Optional;

import lossmeter.faults.node.ContainerControl;

import lossmeter.faults.target.Pausable;
import lossmeter.faults.target.Policy;
import lossmeter.faults.target.RunningTarget;
import lossmeter.workloads.check.DurabilityBound;
import lossmeter.workloads.check.FaultClass;

/**
 * SIGSTOP to the target's process group for a seeded 1–3× the op timeout, then SIGCONT, as a long
 * GC pause or a frozen VM would; on a container node the whole container is frozen instead (the
 * cgroup freezer, as {@code docker pause} does), which no process inside can notice or resist. Nothing may be lost: clients that time out record their ops as
 * info, and the state is read back from the same process once it runs again.
 */
final class PauseFault implements Fault {
    @Override
    public String name() {
        return "pause";
    }

    @Override
    public FaultClass faultClass() {
        return FaultClass.LIVENESS;
    }

    @Override
    public boolean endsTarget() {
        return false;
    }

    @Override
    public void inject(FaultContext trial) {
        RunningTarget t = trial.target();
        Duration period = period(trial.opTimeout(), trial.random().nextDouble());
        Optional<ContainerControl> container = trial.node().ability(ContainerControl.class);
        String what;
        Runnable resume;
        if (container.isPresent()) {
            ContainerControl c = container.get();
            what = "container " + c.containerId() + " frozen (cgroup freezer)";
            c.pause();
            resume = c::unpause;
        } else {
            if (!(t instanceof Pausable p)) throw new IllegalStateException("the target cannot be paused: " + t);
            what = "SIGSTOP to the process group of " + t;
            p.pause();
            resume = p::resume;
        }
        trial.note(what + " for " + period.toMillis() + "ms");
        trial.recordCrashPoint(CrashPoint.time());
        trial.recordEffect(FaultEffect.effective((container.isPresent() ? "container frozen" : "process group stopped") + " for "
                + period.toMillis() + "ms", java.util.Map.of("pausedMs", period.toMillis())));
        try {
            Thread.sleep(period);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the target was paused", e);
        } finally {
            // Resumed on every path: a target left stopped would hang the rest of the trial.
            resume.run();
            trial.note(container.isPresent() ? "container thawed" : "SIGCONT to the process group of " + t);
        }
    }

    /** 1–3× the op timeout, so clients certainly time out (info ops) and some reconnect meanwhile. */
    static Duration period(Duration opTimeout, double unit) {
        return Duration.ofNanos((long) (opTimeout.toNanos() * (1 + 2 * unit)));
    }

    @Override
    public DurabilityBound bound(Policy policy, Duration window) {
        return DurabilityBound.NONE;
    }
}
