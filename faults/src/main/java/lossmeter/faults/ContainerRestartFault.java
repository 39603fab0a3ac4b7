package lossmeter.faults;

import java.time.Duration;
import java.util.Map;

import lossmeter.faults.node.ContainerControl;
import lossmeter.faults.target.Policy;
import lossmeter.workloads.check.DurabilityBound;
import lossmeter.workloads.check.FaultClass;

/**
 * The whole container stopped at once (SIGKILL to every process in it, the init included) and
 * started again, its data dir kept on a volume, as an orchestrator's restart of a crashed pod
 * does. The host's page cache outlives the container, so no policy may lose an acknowledged write.
 */
final class ContainerRestartFault implements Fault {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    @Override
    public String name() {
        return "container-restart";
    }

    @Override
    public FaultClass faultClass() {
        return FaultClass.CRASH;
    }

    @Override
    public void inject(FaultContext trial) {
        ContainerControl c = trial.node().require(ContainerControl.class, "restart its container (container-restart runs on container nodes)");
        boolean wasAlive = trial.target().alive();
        trial.markCrash();
        long t0 = System.nanoTime();
        c.restartContainer(START_TIMEOUT);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        trial.note("container " + c.containerId() + " stopped (SIGKILL to every process) and started again in " + ms + "ms");
        trial.recordCrashPoint(CrashPoint.time());
        trial.recordEffect(wasAlive ? FaultEffect.effective("container stopped and started again (" + ms + "ms), data volume kept",
                Map.of("restartMs", ms)) : FaultEffect.none("the target had already exited before the container restart", Map.of()));
    }

    @Override
    public java.util.Set<Class<?>> needs() {
        return java.util.Set.of(ContainerControl.class);
    }

    @Override
    public DurabilityBound bound(Policy policy, Duration window) {
        return DurabilityBound.NONE;
    }
}
