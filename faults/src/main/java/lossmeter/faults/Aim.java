package lossmeter.faults;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import lossmeter.faults.lossyfs.IoOp;
import lossmeter.faults.lossyfs.LossyFsControl;
import lossmeter.faults.lossyfs.LossyFsException;

/**
 * Aims a crash at an I/O operation of the target: watches which operations it makes for a short
 * while, draws one of them (kind, file family, and the how-many-th from now) from the trial's seed,
 * arms lossyfs there, and waits until the target reaches it. Only operations the target was seen
 * making are drawn, so a point is nearly always reached; one that is not is recorded as such. The
 * watch starts with the cycle's workload where the fault said so ({@link Fault#cycleStarted}), so
 * at the fault moment only what is left of it is waited for.
 */
final class Aim {
    /** A crash point, and a trial time no later than the moment lossyfs reached it (when it did). */
    record Strike(CrashPoint point, long reachedNotBefore) {
    }

    /** An operation a fault may aim at, and how far ahead (1..maxN occurrences) the point may be drawn. */
    record Choice(IoOp.Phase phase, IoOp op, int maxN) {
    }

    /** File families, most specific first: Redis 7's AOF directory, the single AOF, temp files, RDB files. */
    static final List<String> GLOBS = List.of("appendonlydir/*", "appendonly.aof*", "temp-*", "*.rdb");
    /** Long enough to see one everysec fsync: how long the target is watched before a point is drawn. */
    static final Duration OBSERVE = Duration.ofMillis(1100);
    static final Duration REACH_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(100);

    private Aim() {
    }

    /** Frequent operations may be drawn up to 32 ahead, rare ones (names, truncation, directory syncs) 1 or 2. */
    static Choice frequent(IoOp.Phase phase, IoOp op) {
        return new Choice(phase, op, 32);
    }

    static Choice rare(IoOp.Phase phase, IoOp op) {
        return new Choice(phase, op, 2);
    }

    /**
     * Observes, draws (the how-many-th at most as many as were seen in {@link #OBSERVE}, so the draw
     * depends on the target's rate only where it is slow), arms with {@code action} and waits for
     * the point. The operations were counted from {@code watchingSince} (trial time, after a
     * {@link LossyFsControl#resetOps()}), so only the rest of {@link #OBSERVE} is waited for; -1:
     * the watch starts now. Returns the point (reached or not), or null when the target made none
     * of the menu's operations (then the caller crashes by time). The caller must release what
     * lossyfs holds once it has killed the target.
     */
    static Strike strike(FaultContext trial, LossyFsControl control, List<Choice> menu, String action, long watchingSince)
            throws LossyFsException {
        CrashPoint planned = trial.plannedCrashPoint();
        if (planned != null) {
            if (planned.mode() == CrashPoint.Mode.TIME) return null;
            CrashPoint point = CrashPoint.armed(planned.phase(), planned.op(), planned.n(), planned.glob(), action);
            control.arm(point.phase(), point.op(), point.n(), point.glob(), action);
            trial.resumeTraffic();
            trial.note("aim: armed the planned " + point.describe() + " (" + action + ")");
            return await(trial, control, point);
        }
        if (watchingSince < 0) {
            control.resetOps();
            watchingSince = trial.now();
        }
        long left = OBSERVE.toNanos() - (trial.now() - watchingSince);
        if (left > 0) Persistence.sleep(Duration.ofNanos(left));
        Map<String, Long> seen = control.ops();
        long watched = trial.now() - watchingSince;
        List<CrashPoint> candidates = new ArrayList<>();
        for (Choice c : menu) {
            for (String glob : GLOBS) {
                long count = perObservation(countOn(seen, c.op(), glob), watched);
                // At most as far ahead as the target went in the observation: a point is reached
                // in about that time again (an everysec fsync is 1 ahead, a busy write up to maxN).
                if (count > 0) candidates.add(CrashPoint.armed(c.phase(), c.op(), Math.min(c.maxN(), count), glob, action));
            }
        }
        if (candidates.isEmpty()) {
            trial.note("aim: the target made none of the operations aimed at in " + watched / 1_000_000 + "ms (" + seen + ")");
            return null;
        }
        CrashPoint pick = candidates.get(trial.random().nextInt(candidates.size()));
        long n = 1 + trial.random().nextInt((int) pick.n());
        CrashPoint point = CrashPoint.armed(pick.phase(), pick.op(), n, pick.glob(), action);
        control.arm(point.phase(), point.op(), n, point.glob(), action);
        trial.note("aim: armed " + point.describe() + " (" + action + "), drawn from " + watched / 1_000_000 + "ms of its I/O");
        return await(trial, control, point);
    }

    /**
     * {@code count} operations seen in {@code watchedNanos}, as a count per {@link #OBSERVE}
     * (rounded up, so an operation seen once stays on the menu): a point drawn up to that many
     * ahead is reached in about {@link #OBSERVE}, however long the cycle's workload ran before.
     */
    static long perObservation(long count, long watchedNanos) {
        long observe = OBSERVE.toNanos();
        if (count <= 0 || watchedNanos <= observe) return count;
        return Math.max(1, (long) Math.ceil(count * (double) observe / watchedNanos));
    }

    /** Waits until lossyfs reaches the armed point, or gives up (disarmed, recorded as not reached). */
    private static Strike await(FaultContext trial, LossyFsControl control, CrashPoint point) throws LossyFsException {
        long deadline = System.nanoTime() + REACH_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            long before = trial.now();
            LossyFsControl.Reply hit = control.await(POLL.toMillis());
            if (hit != null) {
                CrashPoint reached = point.reachedAt(hit.fields().get("path"), number(hit, "offset"), number(hit, "bytes"));
                trial.note("aim: reached " + reached.describe());
                return new Strike(reached, before);
            }
            if (!trial.target().alive()) break;
        }
        control.disarm();
        trial.note("aim: " + point.describe() + " not reached (" + (trial.target().alive() ? "within " + REACH_TIMEOUT.toSeconds()
                + "s" : "the target exited") + ")");
        return new Strike(point, -1);
    }

    private static long number(LossyFsControl.Reply r, String key) {
        String v = r.fields().get(key);
        return v == null ? -1 : Long.parseLong(v);
    }

    /** Whether the counts ({@code op:path} → n) hold an operation {@code op} on a file of the family {@code glob}. */
    static boolean seenOn(Map<String, Long> seen, IoOp op, String glob) {
        return countOn(seen, op, glob) > 0;
    }

    /** How many operations {@code op} the counts hold on files of the family {@code glob}. */
    static long countOn(Map<String, Long> seen, IoOp op, String glob) {
        String prefix = op.word() + ":";
        long n = 0;
        for (Map.Entry<String, Long> e : seen.entrySet()) {
            if (!e.getKey().startsWith(prefix)) continue;
            for (String path : e.getKey().substring(prefix.length()).split(" -> ")) {
                if (glob.equals(familyOf(path))) {
                    n += e.getValue();
                    break;
                }
            }
        }
        return n;
    }

    /** The first family a path belongs to, or null. */
    static String familyOf(String path) {
        String rel = path.startsWith("/") ? path.substring(1) : path;
        if (rel.isEmpty()) return null;
        Path p = Path.of(rel);
        for (String glob : GLOBS) {
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            if (m.matches(p) || p.getFileName() != null && m.matches(p.getFileName())) return glob;
        }
        return null;
    }
}
