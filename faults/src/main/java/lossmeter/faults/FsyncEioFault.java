package lossmeter.faults;

import java.time.Duration;

import lossmeter.faults.lossyfs.FsyncEio;
import lossmeter.faults.lossyfs.LossyFsException;
import lossmeter.workloads.check.FaultClass;

/**
 * fsync fails with EIO for a seeded 0.3–1.5 s, dropping the failed file's unsynced data as Linux
 * does, then a power loss (SIGKILL + drop unsynced). A correct server acknowledges nothing after a
 * failed fsync it has not recovered from (exiting is fine), so the power loss costs only what the
 * policy allows.
 */
final class FsyncEioFault extends LossyFsFault {
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
}
