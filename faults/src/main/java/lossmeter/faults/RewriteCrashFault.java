package lossmeter.faults;

import java.time.Duration;
import java.util.Map;

import lossmeter.faults.target.Policy;
import lossmeter.faults.target.TargetAdmin;
import lossmeter.workloads.check.DurabilityBound;
import lossmeter.workloads.check.FaultClass;

/**
 * SIGKILL during BGREWRITEAOF, slowed by {@code rdb-key-save-delay} so it lasts about a second or
 * two while the workload keeps writing. The kill point is seeded: midway through the child's work,
 * late (just before the final rename, as near as the expected length allows), or just after it
 * (as soon as INFO shows the rewrite done). A correct server leaves the old complete log or the
 * new one: the loss is what the policy allows for a crash, nothing more.
 */
final class RewriteCrashFault implements Fault {
    /** Where in the rewrite the kill lands. */
    enum Point {
        MIDWAY, LATE, AFTER_RENAME
    }

    @Override
    public String name() {
        return "crash-during-rewrite";
    }

    @Override
    public FaultClass faultClass() {
        return FaultClass.CRASH;
    }

    @Override
    public void inject(FaultContext trial) {
        Point point = Point.values()[trial.random().nextInt(Point.values().length)];
        Duration span = Persistence.between(Persistence.MIN_SPAN, Persistence.MAX_SPAN, trial.random().nextDouble());
        double fraction = trial.random().nextDouble();
        Duration limit = Persistence.MAX_SPAN.multipliedBy(10).plus(trial.opTimeout());
        try (TargetAdmin admin = TargetAdmin.connect(trial.target().endpoint(), limit)) {
            long keys = admin.dbsize();
            long delay = Persistence.delayMicros(keys, span);
            admin.configSet("rdb-key-save-delay", Long.toString(delay));
            long rewritesBefore = Persistence.number(Persistence.persistence(admin), "aof_rewrites");
            String reply = admin.command("BGREWRITEAOF");
            trial.note("BGREWRITEAOF (" + reply + ") over " + keys + " keys at " + delay + "µs per key; kill point " + point);
            Persistence.awaitInfo(admin, "the rewrite to start or finish", limit,
                    i -> i.get("aof_rewrite_in_progress").equals("1") || Persistence.number(i, "aof_rewrites") > rewritesBefore);
            Duration expected = Duration.ofNanos(keys * delay * 1000);
            switch (point) {
                case MIDWAY -> Persistence.sleep(Duration.ofNanos((long) (expected.toNanos() * (0.1 + 0.7 * fraction))));
                case LATE -> Persistence.sleep(Duration.ofNanos((long) (expected.toNanos() * (0.9 + 0.09 * fraction))));
                case AFTER_RENAME -> {
                    Map<String, String> done = Persistence.awaitInfo(admin, "the rewrite to finish", limit,
                            i -> i.get("aof_rewrite_in_progress").equals("0") && Persistence.number(i, "aof_rewrites") > rewritesBefore);
                    trial.note("rewrite done (aof_rewrites " + done.get("aof_rewrites") + ", status "
                            + done.get("aof_last_bgrewrite_status") + ")");
                }
            }
            String state = point == Point.AFTER_RENAME ? "done" : inProgress(admin);
            trial.markCrash();
            trial.target().kill();
            trial.note("SIGKILL to the process group of " + trial.target() + " with the rewrite " + state);
            trial.recordCrashPoint(CrashPoint.time());
            java.util.Map<String, Object> d = java.util.Map.of("rewritePoint", point.name().toLowerCase(java.util.Locale.ROOT),
                    "rewriteState", state);
            // A rewrite that had already ended before a midway or late kill leaves a plain kill.
            trial.recordEffect(state.equals("already finished")
                    ? FaultEffect.none("the rewrite had already finished before the " + point + " kill", d)
                    : FaultEffect.effective("SIGKILL with the rewrite " + state + " (" + point + ")", d));
        }
    }

    private static String inProgress(TargetAdmin admin) {
        return Persistence.persistence(admin).get("aof_rewrite_in_progress").equals("1") ? "in progress" : "already finished";
    }

    /** A crash at any point of a rewrite may lose what a crash may lose under the policy, no more. */
    @Override
    public DurabilityBound bound(Policy policy, Duration window) {
        return policy.unsyncedLossBound(window);
    }
}
