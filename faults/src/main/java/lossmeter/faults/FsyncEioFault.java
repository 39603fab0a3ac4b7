package lossmeter.faults;

import java.time.Duration;

import lossmeter.faults.lossyfs.FsyncEio;
import lossmeter.faults.lossyfs.LossyFsException;
import lossmeter.faults.target.Policy;
import lossmeter.workloads.check.DurabilityBound;
import lossmeter.workloads.check.FaultClass;

/**
 * fsync fails with EIO for a seeded 0.3–1.5 s, dropping the failed file's unsynced data as Linux
 * does, then a power loss (SIGKILL + drop unsynced). A correct server acknowledges nothing after a
 * failed fsync it has not recovered from (exiting is fine), so the power loss costs only what the
 * policy allows — counted, under everysec, from the moment fsync began failing: the first failed
 * fsync drops data acknowledged up to W before it, and a correct server refuses writes from then
 * on, so the window from the crash grows by the failing period and is judged from its start.
 */
final class FsyncEioFault extends LossyFsFault {
    /** Trial time fsync began failing in this cycle; -1 before inject. */
    private long failingSince = -1;

    @Override
    public String name() {
        return "fsync-eio";
    }

    @Override
    public FaultClass faultClass() {
        return FaultClass.RESOURCE;
    }

    @Override
    public void inject(FaultContext trial) {
        Duration failing = Persistence.between(Duration.ofMillis(300), Duration.ofMillis(1500), trial.random().nextDouble());
        try {
            failingSince = trial.now();
            control().fsyncEio(FsyncEio.ON);
            trial.note("fsync EIO on for " + failing.toMillis() + "ms");
            boolean alive;
            try {
                alive = holdWhileAlive(trial, failing);
            } finally {
                control().fsyncEio(FsyncEio.OFF);
                trial.note("fsync EIO off");
            }
            killTarget(trial, alive ? " (power loss follows)" : " (it had exited; power loss follows)");
        } catch (LossyFsException e) {
            throw new IllegalStateException("lossyfs refused fsync EIO: " + e.getMessage(), e);
        }
    }

    /** Under everysec: what was acknowledged more than W before fsync began failing must survive. */
    @Override
    public DurabilityBound bound(Policy policy, Duration window) {
        if (policy != Policy.EVERYSEC || failingSince < 0) return super.bound(policy, window);
        return DurabilityBound.ackedBefore(failingSince - window.toNanos());
    }
}
