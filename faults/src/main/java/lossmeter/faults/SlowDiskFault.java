package lossmeter.faults;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import lossmeter.faults.lossyfs.IoOp;
import lossmeter.faults.lossyfs.LossyFsException;
import lossmeter.faults.target.Policy;
import lossmeter.workloads.check.DurabilityBound;
import lossmeter.workloads.check.FaultClass;

/**
 * A disk that stalls: lossyfs holds one of the target's fsync/fdatasync calls (or, when it makes
 * none, a write) for a seeded 0.5–3 s, and a seeded part of the way into the stall the target is
 * SIGKILLed while the call is still stalled. Nothing is dropped: it is a process kill, and the
 * page cache survives a process kill, so no policy may lose an acknowledged write. A server that
 * keeps replying while its log write waits behind a slow fsync loses exactly those replies.
 */
final class SlowDiskFault extends LossyFsFault {
    static final Duration MIN_STALL = Duration.ofMillis(500);
    static final Duration MAX_STALL = Duration.ofMillis(3000);

    private FaultEffect effect;

    @Override
    public String name() {
        return "slow-disk";
    }

    @Override
    public FaultClass faultClass() {
        return FaultClass.CRASH;
    }

    @Override
    List<Aim.Choice> aims() {
        return List.of(Aim.frequent(IoOp.Phase.BEFORE, IoOp.FDATASYNC), Aim.frequent(IoOp.Phase.BEFORE, IoOp.FSYNC),
                Aim.frequent(IoOp.Phase.BEFORE, IoOp.WRITE));
    }

    /** The stall is an aimed operation whatever {@code --crash-point} says: a stall needs an operation to stall. */
    @Override
    public void inject(FaultContext trial) {
        Duration stall = Persistence.between(MIN_STALL, MAX_STALL, trial.random().nextDouble());
        Duration into = Duration.ofNanos((long) (stall.toNanos() * (0.2 + 0.6 * trial.random().nextDouble())));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("stallMs", stall.toMillis());
        try {
            Aim.Strike strike = aim(trial, aims(), "delay " + stall.toMillis());
            CrashPoint p = strike == null ? CrashPoint.time() : strike.point();
            trial.recordCrashPoint(p);
            boolean stalled = false;
            if (p.mode() == CrashPoint.Mode.IO && p.reached()) {
                // Clients keep going while the call is stalled: that is when a server may reply
                // for data its log write has not reached the page cache with.
                holdWhileAlive(trial, into);
                stalled = "true".equals(control().stats().fields().get("held"));
            }
            d.put("killedIntoStallMs", p.reached() ? into.toMillis() : null);
            d.put("stalledAtKill", stalled);
            killTarget(trial, stalled ? " " + into.toMillis() + "ms into a " + stall.toMillis() + "ms stall of " + p.describe()
                    : " (no stalled operation at the kill)");
            if (p.mode() == CrashPoint.Mode.IO) control().release(false);
            effect = stalled ? FaultEffect.effective("killed " + into.toMillis() + "ms into a " + stall.toMillis() + "ms stall of "
                    + p.describe(), d) : FaultEffect.none("no operation was stalled when the target was killed", d);
        } catch (LossyFsException e) {
            throw new IllegalStateException("lossyfs refused the stall: " + e.getMessage(), e);
        }
    }

    /** A process kill: lossyfs keeps every byte, synced or not, as the page cache would. */
    @Override
    FaultEffect lose(FaultContext trial) {
        return effect;
    }

    /** The page cache survives a process kill: nothing acknowledged may be lost, whatever the policy. */
    @Override
    public DurabilityBound bound(Policy policy, Duration window) {
        return DurabilityBound.NONE;
    }
}
