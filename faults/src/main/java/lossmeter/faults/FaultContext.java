package lossmeter.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;

import lossmeter.faults.node.Node;
import lossmeter.faults.target.Policy;
import lossmeter.faults.target.RunningTarget;

/**
 * What a fault may touch during a trial: the node, the running target, the data dir, the trial's
 * clock and seeded randomness, and the one switch that defines the crash moment.
 */
public interface FaultContext {
    Node node();

    /**
     * The target instance running now. Before the first start ({@link Fault#prepare}) there is
     * none and this throws {@link IllegalStateException}.
     */
    RunningTarget target();

    Policy policy();

    /** How long a client waits for a reply before recording the op as info. */
    Duration opTimeout();

    /**
     * Sets a server directive (redis.conf's name and value syntax, e.g. {@code appendonly no}) for
     * every start of the target in this trial. Only in {@link Fault#prepare}; a target that cannot
     * take directives (a {@code cmd:} template) refuses to start with a message naming them.
     */
    void configure(String directive, String value);

    /** The dir the target keeps its files in (a fault may mount a filesystem over it in prepare). */
    Path dataDir();

    /** A dir of the trial's results where a fault may keep its own files (control sockets, backing stores). */
    Path faultDir();

    /** Seeded from the trial's seed, so a replayed trial makes the same choices. */
    SplittableRandom random();

    /** Now on the trial clock (ns since the trial started), the clock ops are recorded on. */
    long now();

    /**
     * Marks this instant as the crash: no client invokes another op until the state after the
     * restart has been read, and the checker judges durability as of this time. A fault calls it
     * immediately before the action that ends the target (SIGKILL, dropping unsynced data, …);
     * calling it again in the same cycle returns the first time. The runner calls it after
     * {@link Fault#inject} for a fault that did not.
     */
    long markCrash();

    /** Adds a line to the trial's event log (what the fault did, for people reading the results). */
    void note(String line);

    /** How this campaign chooses crash moments: at a seeded time, or at a seeded I/O operation where lossyfs is mounted. */
    default CrashPoint.Mode crashPointMode() {
        return CrashPoint.Mode.IO;
    }

    /**
     * The crash point this cycle must strike at, when a scenario fixed it (a replay, a shrink
     * candidate); null lets the fault draw one as campaigns do. A {@link CrashPoint.Mode#TIME} point
     * means: do not aim, strike now.
     */
    default CrashPoint plannedCrashPoint() {
        return null;
    }

    /**
     * With a {@link #plannedCrashPoint()} at an I/O operation, the workload waits from the end of
     * the cycle's planned ops until the fault has armed that point and calls this, so the point's
     * operations are counted from the same op of the workload in every replay. Otherwise a no-op.
     */
    default void resumeTraffic() {
    }

    /** Records where this cycle's crash landed (crashes.json, the report). */
    void recordCrashPoint(CrashPoint point);

    /** Records what the fault did in this cycle; a fault that changed nothing says so here. */
    void recordEffect(FaultEffect effect);
}
