package lossmeter.faults;

import java.time.Duration;
import java.util.List;

import lossmeter.faults.lossyfs.FsyncEio;
import lossmeter.faults.lossyfs.IoOp;
import lossmeter.faults.lossyfs.LossyFsException;
import lossmeter.faults.target.Policy;
import lossmeter.workloads.check.DurabilityBound;
import lossmeter.workloads.check.FaultClass;

/**
 * fsync fails with EIO for a seeded 0.3–1.5 s — from an aimed fsync or fdatasync on, by default —
 * dropping the failed file's unsynced data as Linux does, then a power loss (SIGKILL + drop
 * unsynced). A correct server acknowledges nothing after a failed fsync it has not recovered from
 * (exiting is fine), so the power loss costs only what the policy allows — counted, under
 * everysec, from the moment fsync began failing: the first failed fsync drops data acknowledged up
 * to W before it, and a correct server refuses writes from then on, so the window from the crash
 * grows by the failing period and is judged from its start.
 */
final class FsyncEioFault extends LossyFsFault {
    /**
     * Not judged by the window from the crash: what a failed fsync drops was acknowledged up to W
     * before the failures began, so the checker judges it against that instant (a horizon bound).
     */
    @Override
    public boolean policyGoverned() {
        return false;
    }

    /** Trial time fsync began failing in this cycle; -1 before inject. */
    private long failingSince = -1;
    private long errorsBefore;

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
            errorsBefore = control().stats().number("eio-errors");
            failingSince = holdCondition(trial, failing, List.of(Aim.frequent(IoOp.Phase.BEFORE, IoOp.FDATASYNC),
                    Aim.frequent(IoOp.Phase.BEFORE, IoOp.FSYNC), Aim.rare(IoOp.Phase.BEFORE, IoOp.FSYNCDIR)), "eio",
                    on -> control().fsyncEio(on ? FsyncEio.ON : FsyncEio.OFF));
        } catch (LossyFsException e) {
            throw new IllegalStateException("lossyfs refused fsync EIO: " + e.getMessage(), e);
        }
    }

    @Override
    FaultEffect lose(FaultContext trial) throws LossyFsException {
        long errors = control().stats().number("eio-errors") - errorsBefore;
        return conditionEffect("eio", errors, super.lose(trial));
    }

    /** Under everysec: what was acknowledged more than W before fsync began failing must survive. */
    @Override
    public DurabilityBound bound(Policy policy, Duration window) {
        if (policy != Policy.EVERYSEC || failingSince < 0) return super.bound(policy, window);
        return DurabilityBound.ackedBefore(failingSince - window.toNanos());
    }
}
