package lossmeter.faults;

import java.time.Duration;

import lossmeter.faults.target.Policy;
import lossmeter.workloads.check.DurabilityBound;
import lossmeter.workloads.check.FaultClass;

/**
 * Something done to a target's node, process or files, in a life cycle the trial runner follows
 * the same way for every fault:
 * <ol>
 * <li>{@link #prepare} once per trial, before the target first starts (mount a filesystem over
 * the data dir, set up a control channel);</li>
 * <li>per crash cycle, {@link #cycleStarted} when the workload starts against the (re)started
 * target, then {@link #inject} at the fault moment while the workload runs, calling
 * {@link FaultContext#markCrash()} right before the action that ends the target, and returning
 * once the target is dead or dying;</li>
 * <li>the runner waits for the target's death, then {@link #afterDeath} changes what the restart
 * will find (drop unsynced data, damage a file), then the runner restarts the target and reads
 * its state back;</li>
 * <li>{@link #teardown} once per trial, after the last stop, also when the trial failed.</li>
 * </ol>
 * {@link #bound} says what loss the policy allows after this fault, per docs/design.md's table.
 * A fault that does not end the target ({@link #endsTarget()} false, e.g. a pause) is a cycle
 * without death: the runner reads the state back from the same, live target.
 */
public interface Fault {
    /** The name used on the command line, in trial names and in reports, e.g. {@code kill}. */
    String name();

    FaultClass faultClass();

    default void prepare(FaultContext trial) {
    }

    /**
     * A crash cycle's workload starts now, against a target that is up and whose state was read
     * back: a fault may start watching what the target does here (an aimed fault counts its I/O
     * operations from this moment, so its watch overlaps the cycle's workload instead of delaying
     * the fault).
     */
    default void cycleStarted(FaultContext trial) {
    }

    /**
     * Strikes; must leave the target dead or on its way out (the runner waits for the death), unless
     * {@link #endsTarget()} is false, in which case it returns with the target running again.
     */
    void inject(FaultContext trial);

    /** False for faults after which the target keeps running (liveness faults): no death, no restart. */
    default boolean endsTarget() {
        return true;
    }

    default void afterDeath(FaultContext trial) {
    }

    /**
     * Whether the fault acts on what the target does while it strikes (it waits for an I/O
     * operation, or holds a condition for a period), so the workload must keep running until it has
     * struck. A scenario stops invoking ops at a cycle's op count only for faults that do not.
     */
    default boolean needsTraffic() {
        return false;
    }

    /** How much acknowledged data a target under {@code policy} may lose to this fault; W is {@code window}. */
    DurabilityBound bound(Policy policy, Duration window);

    default void teardown(FaultContext trial) {
    }

    /**
     * The node abilities this fault needs beyond the core of every node (e.g. {@code Mounting} for
     * lossyfs, {@code ContainerControl} for the OOM killer), so a campaign that puts it on a node
     * kind without them is refused before anything starts.
     */
    default java.util.Set<Class<?>> needs() {
        return java.util.Set.of();
    }

    /**
     * Whether the fsync policy governs this fault's loss, so a loss-window gate judges it. False
     * where loss is the expected outcome or is judged against another instant: damaged media, an
     * RDB snapshot crash, fsync EIO (the checker measures its loss from the first failed fsync).
     */
    default boolean policyGoverned() {
        return true;
    }
}
