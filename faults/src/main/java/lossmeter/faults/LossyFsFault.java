package lossmeter.faults;

import java.time.Duration;

import lossmeter.faults.lossyfs.LossyFsControl;
import lossmeter.faults.lossyfs.LossyFsException;
import lossmeter.faults.target.Policy;
import lossmeter.workloads.check.DurabilityBound;

/**
 * A fault of the power-loss family: lossyfs is mounted over the data dir in prepare and unmounted
 * in teardown; each cycle ends in a SIGKILL of the target followed, once it is dead, by a loss of
 * what was never synced ({@link #lose}). What may be lost is what the policy allows when unsynced
 * data disappears: nothing under always, W under everysec, any suffix under no.
 */
abstract class LossyFsFault implements Fault {
    private LossyFsMount mount;

    @Override
    public final void prepare(FaultContext trial) {
        mount = LossyFsMount.over(trial);
    }

    /** The filesystem's control channel; only between prepare and teardown. */
    final LossyFsControl control() {
        if (mount == null) throw new IllegalStateException("lossyfs is not mounted (prepare did not run)");
        return mount.control();
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
            trial.note(name() + ": " + lose(trial));
        } catch (LossyFsException e) {
            throw new IllegalStateException("lossyfs refused the power loss: " + e.getMessage(), e);
        }
    }

    /** Drops (or tears) the unsynced data and says what lossyfs reported. */
    String lose(FaultContext trial) throws LossyFsException {
        return "power loss: drop-unsynced → " + control().dropUnsynced().text();
    }

    @Override
    public DurabilityBound bound(Policy policy, Duration window) {
        return policy.unsyncedLossBound(window);
    }

    @Override
    public final void teardown(FaultContext trial) {
        if (mount != null) {
            mount.stop();
            mount = null;
        }
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
