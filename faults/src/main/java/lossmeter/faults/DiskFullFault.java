package lossmeter.faults;

import java.time.Duration;
import java.util.List;

import lossmeter.faults.lossyfs.IoOp;
import lossmeter.faults.lossyfs.LossyFsException;
import lossmeter.workloads.check.FaultClass;

/**
 * ENOSPC for every write and create during a seeded 0.5–2 s of workload — from an aimed write or
 * create on, by default, so the target certainly meets it — then space returns, and a seeded
 * moment later a power loss (SIGKILL + drop unsynced). A correct server refuses writes with an
 * error or exits, and never acknowledges what it could not persist; the power loss afterwards
 * shows whether anything acknowledged during or after the full disk was not really written.
 */
final class DiskFullFault extends LossyFsFault {
    private long errorsBefore;

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
        try {
            errorsBefore = control().stats().number("enospc-errors");
            holdCondition(trial, full, List.of(Aim.frequent(IoOp.Phase.BEFORE, IoOp.WRITE), Aim.rare(IoOp.Phase.BEFORE, IoOp.CREATE)),
                    "enospc", on -> control().enospc(on));
        } catch (LossyFsException e) {
            throw new IllegalStateException("lossyfs refused ENOSPC: " + e.getMessage(), e);
        }
    }

    @Override
    FaultEffect lose(FaultContext trial) throws LossyFsException {
        long errors = control().stats().number("enospc-errors") - errorsBefore;
        return conditionEffect("enospc", errors, super.lose(trial));
    }
}
