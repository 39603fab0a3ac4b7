package lossmeter.faults;

import java.time.Duration;

import lossmeter.faults.lossyfs.LossyFsException;
import lossmeter.workloads.check.FaultClass;

/**
 * ENOSPC for every write and create during a seeded 0.5–2 s of workload, then space returns, and a
 * seeded moment later a power loss (SIGKILL + drop unsynced). A correct server refuses writes with
 * an error or exits, and never acknowledges what it could not persist; the power loss afterwards
 * shows whether anything acknowledged during or after the full disk was not really written.
 */
final class DiskFullFault extends LossyFsFault {
    @Override
    public String name() {
        return "disk-full";
    }

    @Override
    public FaultClass faultClass() {
        return FaultClass.RESOURCE;
    }

    @Override
    public void inject(FaultContext trial) {
        Duration full = Persistence.between(Duration.ofMillis(500), Duration.ofMillis(2000), trial.random().nextDouble());
        Duration after = Persistence.between(Duration.ofMillis(100), Duration.ofMillis(1000), trial.random().nextDouble());
        try {
            control().enospc(true);
            trial.note("ENOSPC on for " + full.toMillis() + "ms");
            boolean alive;
            try {
                alive = holdWhileAlive(trial, full);
            } finally {
                control().enospc(false);
                trial.note("ENOSPC off: space is back");
            }
            if (alive && holdWhileAlive(trial, after)) {
                killTarget(trial, " " + after.toMillis() + "ms after space came back (power loss follows)");
            } else {
                killTarget(trial, " (it had exited; power loss follows)");
            }
        } catch (LossyFsException e) {
            throw new IllegalStateException("lossyfs refused ENOSPC: " + e.getMessage(), e);
        }
    }
}
