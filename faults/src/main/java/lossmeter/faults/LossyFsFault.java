package lossmeter.faults;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import lossmeter.faults.lossyfs.IoOp;
import lossmeter.faults.lossyfs.LossyFsControl;
import lossmeter.faults.lossyfs.LossyFsException;
import lossmeter.faults.target.Policy;
import lossmeter.workloads.check.DurabilityBound;

/**
 * A fault of the power-loss family: lossyfs is mounted over the data dir in prepare and unmounted
 * in teardown; each cycle ends in a SIGKILL of the target followed, once it is dead, by a loss of
 * what was never synced ({@link #lose}). With aimed crash points (the default) the kill lands while
 * lossyfs holds the target at a seeded I/O operation ({@link #aims()}); otherwise at the seeded
 * moment the runner chose. What may be lost is what the policy allows when unsynced data
 * disappears: nothing under always, W under everysec, any suffix under no.
 */
abstract class LossyFsFault implements Fault {
    private LossyFsMount mount;
    /** Where this cycle's crash landed; null before inject. */
    private CrashPoint point;
    /** Trial time this cycle's I/O operations have been counted from (its workload's start), or -1. */
    private long watchingSince = -1;

    @Override
    public final void prepare(FaultContext trial) {
        mount = LossyFsMount.over(trial);
    }

    /** Counts the target's I/O operations from the start of the cycle's workload, for the aim at its fault moment. */
    @Override
    public final void cycleStarted(FaultContext trial) {
        watchingSince = -1;
        if (trial.crashPointMode() != CrashPoint.Mode.IO) return;
        try {
            control().resetOps();
        } catch (LossyFsException e) {
            throw new IllegalStateException("lossyfs refused to count operations: " + e.getMessage(), e);
        }
        watchingSince = trial.now();
    }

    /** Aims this cycle's crash (see {@link Aim#strike}) from what the target did since its workload started. */
    final Aim.Strike aim(FaultContext trial, List<Aim.Choice> menu, String action) throws LossyFsException {
        long since = watchingSince;
        watchingSince = -1;
        return Aim.strike(trial, control(), menu, action, since);
    }

    /** The filesystem's control channel; only between prepare and teardown. */
    final LossyFsControl control() {
        if (mount == null) throw new IllegalStateException("lossyfs is not mounted (prepare did not run)");
        return mount.control();
    }

    /** The crash is held at an I/O operation of the target, or a condition lasts while it writes: it needs the workload running. */
    @Override
    public final boolean needsTraffic() {
        return true;
    }

    /** The operations an aimed crash of this fault may be held at. */
    List<Aim.Choice> aims() {
        return List.of(Aim.frequent(IoOp.Phase.AFTER, IoOp.WRITE), Aim.frequent(IoOp.Phase.BEFORE, IoOp.FDATASYNC),
                Aim.frequent(IoOp.Phase.BEFORE, IoOp.FSYNC), Aim.rare(IoOp.Phase.AFTER, IoOp.RENAME),
                Aim.rare(IoOp.Phase.AFTER, IoOp.CREATE), Aim.rare(IoOp.Phase.AFTER, IoOp.TRUNCATE),
                Aim.rare(IoOp.Phase.AFTER, IoOp.UNLINK), Aim.rare(IoOp.Phase.BEFORE, IoOp.FSYNCDIR));
    }

    /** The crash of this cycle: held at an aimed operation where the campaign aims, else now. */
    @Override
    public void inject(FaultContext trial) {
        crash(trial, " (" + name() + " follows once it is dead)");
    }

    /** Aims (or not), kills, and lets the held operation go without effect; records the crash point. */
    final void crash(FaultContext trial, String why) {
        point = null;
        try {
            Aim.Strike strike = trial.crashPointMode() == CrashPoint.Mode.IO ? aim(trial, aims(), "hold") : null;
            point = strike == null ? CrashPoint.time() : strike.point();
            trial.recordCrashPoint(point);
            killTarget(trial, why + (point.mode() == CrashPoint.Mode.IO && point.reached() ? " while lossyfs holds "
                    + point.describe() : ""));
            // The dying thread waits in lossyfs for its answer: a held write or sync never happens.
            if (point.mode() == CrashPoint.Mode.IO) control().release(true);
        } catch (LossyFsException e) {
            throw new IllegalStateException("lossyfs refused the crash point: " + e.getMessage(), e);
        }
    }

    /** This cycle's crash point (time when the crash was not aimed). */
    final CrashPoint point() {
        return point == null ? CrashPoint.time() : point;
    }

    /** SIGKILL the target now, marking the crash right before (a no-op kill if it already exited on its own). */
    static void killTarget(FaultContext trial, String why) {
        trial.markCrash();
        trial.target().kill();
        trial.note("SIGKILL to the process group of " + trial.target() + why);
    }

    @Override
    public final void afterDeath(FaultContext trial) {
        try {
            FaultEffect effect = lose(trial);
            trial.recordEffect(effect);
            trial.note(name() + ": " + effect.summary() + (effect.effective() ? "" : " — NO EFFECT"));
        } catch (LossyFsException e) {
            throw new IllegalStateException("lossyfs refused the power loss: " + e.getMessage(), e);
        }
    }

    /** Drops (or tears) the unsynced data; effective when anything unsynced was there to lose. */
    FaultEffect lose(FaultContext trial) throws LossyFsException {
        LossyFsControl.Reply r = control().dropUnsynced();
        return dropEffect("power loss dropped", r);
    }

    /** The effect of a drop reply (fields files, bytes, meta): effective when bytes or name changes were dropped. */
    static FaultEffect dropEffect(String what, LossyFsControl.Reply r) {
        long bytes = r.number("bytes");
        long meta = r.number("meta");
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("unsyncedBytesDropped", bytes);
        d.put("filesAffected", r.number("files"));
        d.put("metadataDropped", meta);
        String summary = what + " " + bytes + " unsynced bytes in " + r.number("files") + " file(s) and " + meta
                + " name change(s)";
        return bytes > 0 || meta > 0 ? FaultEffect.effective(summary, d) : FaultEffect.none(summary + ": nothing was unsynced", d);
    }

    @Override
    public DurabilityBound bound(Policy policy, Duration window) {
        return policy.unsyncedLossBound(window);
    }

    /** lossyfs runs on the node as a JVM, mounts over the data dir, and is steered through its control socket. */
    @Override
    public final java.util.Set<Class<?>> needs() {
        return java.util.Set.of(lossmeter.faults.node.Mounting.class, lossmeter.faults.node.JavaRuntime.class,
                lossmeter.faults.node.UnixSockets.class);
    }

    @Override
    public final void teardown(FaultContext trial) {
        if (mount != null) {
            mount.stop();
            mount = null;
        }
    }

    /**
     * Switches a lossyfs condition on for a seeded period of workload (by time, or from the aimed
     * operation on, where lossyfs switched it itself), then off, then crashes with a power loss.
     * Returns the trial time the condition began.
     */
    final long holdCondition(FaultContext trial, Duration period, List<Aim.Choice> menu, String action, Condition condition)
            throws LossyFsException {
        Aim.Strike strike = trial.crashPointMode() == CrashPoint.Mode.IO ? aim(trial, menu, action) : null;
        CrashPoint aimed = strike == null ? null : strike.point();
        long since = aimed != null && aimed.reached() ? strike.reachedNotBefore() : trial.now();
        if (aimed == null || !aimed.reached()) condition.set(true);
        trial.recordCrashPoint(aimed == null ? CrashPoint.time() : aimed);
        trial.note(action + " on for " + period.toMillis() + "ms" + (aimed != null && aimed.reached() ? " from " + aimed.describe() : ""));
        boolean alive;
        try {
            alive = holdWhileAlive(trial, period);
        } finally {
            condition.set(false);
            trial.note(action + " off");
        }
        if (alive) {
            Duration after = Persistence.between(Duration.ofMillis(100), Duration.ofMillis(1000), trial.random().nextDouble());
            alive = holdWhileAlive(trial, after);
            killTarget(trial, alive ? " " + after.toMillis() + "ms after " + action + " ended (power loss follows)"
                    : " (it had exited; power loss follows)");
        } else {
            killTarget(trial, " (it had exited; power loss follows)");
        }
        return since;
    }

    /** A lossyfs switch (ENOSPC, fsync EIO). */
    interface Condition {
        void set(boolean on) throws LossyFsException;
    }

    /** The target saw the condition: {@code errors} of it since {@code before}; merged with the power loss's effect. */
    static FaultEffect conditionEffect(String condition, long errors, FaultEffect powerLoss) {
        Map<String, Object> d = new LinkedHashMap<>(powerLoss.details());
        d.put(condition + "Errors", errors);
        String summary = errors + " " + condition + " error(s) returned to the target; " + powerLoss.summary();
        return errors > 0 ? FaultEffect.effective(summary, d) : FaultEffect.none(summary + "; the target never hit " + condition, d);
    }

    /** Sleeps through a fault period while watching the target; marks the crash the moment it exits on its own. */
    static boolean holdWhileAlive(FaultContext trial, Duration period) {
        long end = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < end) {
            if (!trial.target().alive()) {
                trial.markCrash();
                trial.note("the target exited on its own during the fault: " + lastLine(trial.target().logTail(3)));
                return false;
            }
            Persistence.sleep(Duration.ofMillis(Math.min(10, Math.max(1, (end - System.nanoTime()) / 1_000_000))));
        }
        return true;
    }

    private static String lastLine(String tail) {
        String[] lines = tail.strip().split("\n");
        return lines[lines.length - 1];
    }
}
