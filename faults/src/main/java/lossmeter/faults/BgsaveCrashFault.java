package lossmeter.faults;

import java.time.Duration;
import java.util.Map;

import lossmeter.faults.target.Policy;
import lossmeter.faults.target.TargetAdmin;
import lossmeter.workloads.check.DurabilityBound;
import lossmeter.workloads.check.FaultClass;

/**
 * For an RDB-only target ({@code appendonly no} with a save point an hour away, set in prepare):
 * one BGSAVE that completes, a seeded stretch of workload, then a second BGSAVE slowed by
 * {@code rdb-key-save-delay} and a SIGKILL in its middle. What survives must be at least the first
 * save's snapshot: every write acknowledged before that BGSAVE was issued (the snapshot is taken
 * at the fork, after the command arrives); later writes may be lost.
 */
final class BgsaveCrashFault implements Fault {
    /** An RDB-only configuration loses back to its last completed save whatever the fsync policy. */
    @Override
    public boolean policyGoverned() {
        return false;
    }

    /** The save point: one change in an hour, so the server makes no save of its own during a trial, yet SHUTDOWN saves. */
    static final String SAVE_POINT = "3600 1";

    /** Trial-clock time at which the last completed BGSAVE was issued, this cycle; -1 before one. */
    private long horizon = -1;

    @Override
    public String name() {
        return "crash-during-bgsave";
    }

    @Override
    public FaultClass faultClass() {
        return FaultClass.CRASH;
    }

    @Override
    public void prepare(FaultContext trial) {
        trial.configure("appendonly", "no");
        trial.configure("save", SAVE_POINT);
        trial.note("RDB-only configuration: appendonly no, save " + SAVE_POINT);
    }

    @Override
    public void inject(FaultContext trial) {
        horizon = -1;
        Duration limit = Persistence.MAX_SPAN.multipliedBy(10).plus(trial.opTimeout());
        Duration stretch = Persistence.between(Duration.ofMillis(100), Duration.ofMillis(600), trial.random().nextDouble());
        Duration span = Persistence.between(Persistence.MIN_SPAN, Persistence.MAX_SPAN, trial.random().nextDouble());
        double fraction = 0.1 + 0.7 * trial.random().nextDouble();
        try (TargetAdmin admin = TargetAdmin.connect(trial.target().endpoint(), limit)) {
            admin.configSet("rdb-key-save-delay", "0");
            long issued = completedSave(trial, admin, limit);
            horizon = issued;
            Persistence.sleep(stretch);

            long keys = admin.dbsize();
            long delay = Persistence.delayMicros(keys, span);
            admin.configSet("rdb-key-save-delay", Long.toString(delay));
            long savesBefore = Persistence.number(Persistence.persistence(admin), "rdb_saves");
            String reply = admin.command("BGSAVE");
            trial.note("second BGSAVE (" + reply + ") over " + keys + " keys at " + delay + "µs per key");
            Persistence.sleep(Duration.ofNanos((long) (keys * delay * 1000 * fraction)));
            Map<String, String> now = Persistence.persistence(admin);
            // A FLUSHALL under save points saves at once and kills a running BGSAVE: then it ended early.
            String state = now.get("rdb_bgsave_in_progress").equals("1") ? "in progress"
                    : "ended before the kill (rdb_saves " + savesBefore + " → " + now.get("rdb_saves") + ", last status "
                    + now.get("rdb_last_bgsave_status") + ")";
            trial.markCrash();
            trial.target().kill();
            trial.recordCrashPoint(CrashPoint.time());
            trial.recordEffect(state.equals("in progress")
                    ? FaultEffect.effective("SIGKILL with the second BGSAVE in progress", java.util.Map.of("bgsave", state))
                    : FaultEffect.none("the second BGSAVE " + state, java.util.Map.of("bgsave", state)));
            trial.note("SIGKILL to the process group of " + trial.target() + " with the second BGSAVE " + state
                    + "; acknowledged before " + horizon / 1_000_000 + "ms must survive");
        }
    }

    /** Issues a BGSAVE, waits for it to complete successfully, and returns when it was issued (trial clock). */
    private static long completedSave(FaultContext trial, TargetAdmin admin, Duration limit) {
        Map<String, String> before = Persistence.persistence(admin);
        long saves = Persistence.number(before, "rdb_saves");
        long issued = trial.now();
        String reply = admin.command("BGSAVE");
        Map<String, String> done = Persistence.awaitInfo(admin, "the first BGSAVE to complete", limit,
                i -> i.get("rdb_bgsave_in_progress").equals("0") && Persistence.number(i, "rdb_saves") > saves);
        if (!"ok".equals(done.get("rdb_last_bgsave_status"))) {
            throw new IllegalStateException("the first BGSAVE failed: rdb_last_bgsave_status " + done.get("rdb_last_bgsave_status"));
        }
        trial.note("BGSAVE (" + reply + ") issued at " + issued / 1_000_000 + "ms completed (rdb_saves " + done.get("rdb_saves")
                + ", LASTSAVE " + done.get("rdb_last_save_time") + ")");
        return issued;
    }

    /** Everything acknowledged before the completed save was issued must survive; later writes may not. */
    @Override
    public DurabilityBound bound(Policy policy, Duration window) {
        if (horizon < 0) throw new IllegalStateException("no completed BGSAVE in this cycle");
        return DurabilityBound.ackedBefore(horizon);
    }
}
