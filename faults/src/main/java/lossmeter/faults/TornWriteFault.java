package lossmeter.faults;

import lossmeter.faults.lossyfs.LossyFsException;
import lossmeter.workloads.check.FaultClass;

/**
 * SIGKILL the target, then a torn power loss: lossyfs keeps part of the unsynced data, with the mode
 * seeded per crash — a random subset of sectors (a disk reordering writes) or a byte prefix in write
 * order (a disk that stops mid-stream).
 */
final class TornWriteFault extends LossyFsFault {
    @Override
    public String name() {
        return "torn-write";
    }

    @Override
    public FaultClass faultClass() {
        return FaultClass.CRASH;
    }

    @Override
    public void inject(FaultContext trial) {
        killTarget(trial, " (a torn power loss follows once it is dead)");
    }

    @Override
    String lose(FaultContext trial) throws LossyFsException {
        long seed = trial.random().nextLong(Long.MAX_VALUE);
        boolean sectors = trial.random().nextBoolean();
        return sectors ? "torn sectors, seed " + seed + " → " + control().tornSectors(seed).text()
                : "torn prefix, seed " + seed + " → " + control().tornPrefix(seed).text();
    }
}
