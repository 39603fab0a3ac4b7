package lossmeter.faults.lossyfs;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import lossmeter.faults.lossyfs.IoOp.Phase;

/**
 * Crash points keyed to the target's I/O: counts the operations the target makes per kind and
 * file, and fires an armed trigger at the Nth matching operation — holding the calling thread
 * there until the controller releases it (the harness kills the target meanwhile), stalling it,
 * or switching ENOSPC / fsync EIO on from exactly that operation. It has its own monitor, never
 * the model's: a held operation must not stop the target's other threads, since a real crash
 * lands while they run.
 */
final class Triggers {
    /** What a trigger does to the operation it fires on. */
    enum Action {
        /** Block the caller until released; a BEFORE operation released with discard never takes effect. */
        HOLD,
        /** Block the caller for a given time (or until released), then let it proceed. */
        DELAY,
        /** Every write and create fails with ENOSPC from this operation on (this one included). */
        ENOSPC,
        /** Every fsync fails with EIO from this operation on (this one included). */
        EIO;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** An armed trigger: the {@code n}th operation {@code op} on a file matching {@code glob}, counted from arming. */
    record Armed(Phase phase, IoOp op, long n, String glob, Action action, long delayMillis) {
        String describe() {
            return "phase=" + phase.word() + " op=" + op.word() + " n=" + n + " glob=" + ControlCommands.encode(glob)
                    + " action=" + action.word() + (action == Action.DELAY ? " delay-ms=" + delayMillis : "");
        }
    }

    /** Where a trigger fired: the operation, its file (live path; {@code from -> to} for a rename), offset and length (-1 where none). */
    record Hit(Armed trigger, String path, long offset, long bytes) {
        String describe() {
            return trigger.describe() + " path=" + ControlCommands.encode(path) + " offset=" + offset + " bytes=" + bytes;
        }
    }

    /** Handed from {@link #before} to {@link #after} of the same call. */
    record Ticket(IoOp op, String path, long offset, long bytes, Armed fireAfter) {
    }

    /** How long a held operation waits for a controller that may have died before it lets go by itself. */
    static final long MAX_HOLD_MILLIS = 120_000;
    private static final int MAX_COUNTED_FILES = 1024;

    private final LossyModel model;
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private Armed armed;
    private PathMatcher matcher;
    private long seen;
    private Hit fired;
    private boolean holding;
    private boolean released;
    private boolean discard;
    private long delayedOps;
    private long delayNanos;

    Triggers(LossyModel model) {
        this.model = model;
    }

    // ---- the FUSE side ----------------------------------------------------------------------------

    /** Before an operation: counts it, and fires a BEFORE trigger on it (may block, may throw EIO for a discarded hold). */
    Ticket before(IoOp op, String path, String to, long offset, long bytes) throws FsException {
        Armed fire = null;
        Armed fireAfter = null;
        synchronized (this) {
            if (counts.size() < MAX_COUNTED_FILES || counts.containsKey(key(op, path))) counts.merge(key(op, path), 1L, Long::sum);
            if (armed != null && armed.op() == op && (matches(path) || to != null && matches(to)) && ++seen == armed.n()) {
                if (armed.phase() == Phase.BEFORE) fire = armed;
                else fireAfter = armed;
                armed = null;
            }
        }
        String where = to == null ? path : path + " -> " + to;
        if (fire != null) fire(new Hit(fire, where, offset, bytes));
        return new Ticket(op, where, offset, bytes, fireAfter);
    }

    /** After the operation (also when it failed): fires the AFTER trigger it carried, if any. */
    void after(Ticket ticket, long bytesDone) throws FsException {
        if (ticket.fireAfter() == null) return;
        fire(new Hit(ticket.fireAfter(), ticket.path(), ticket.offset(), ticket.op() == IoOp.WRITE && bytesDone >= 0 ? bytesDone : ticket.bytes()));
    }

    private void fire(Hit hit) throws FsException {
        Action action = hit.trigger().action();
        if (action == Action.ENOSPC) model.setSpaceLeft(0);
        if (action == Action.EIO) model.setFsyncEio(FsyncEio.ON);
        synchronized (this) {
            fired = hit;
            released = false;
            discard = false;
            holding = action == Action.HOLD || action == Action.DELAY;
            notifyAll();
            if (!holding) return;
            long start = System.nanoTime();
            long limit = action == Action.DELAY ? hit.trigger().delayMillis() : MAX_HOLD_MILLIS;
            long deadline = start + limit * 1_000_000;
            try {
                while (!released) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) break;
                    wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                holding = false;
                if (action == Action.DELAY) {
                    delayedOps++;
                    delayNanos += System.nanoTime() - start;
                }
                notifyAll();
            }
            if (discard && hit.trigger().phase() == Phase.BEFORE) {
                throw new FsException(FsException.EIO, "held " + hit.trigger().op().word() + " discarded by a crash");
            }
        }
    }

    private boolean matches(String path) {
        if (path == null) return false;
        String rel = path.startsWith("/") ? path.substring(1) : path;
        Path p = Path.of(rel.isEmpty() ? "." : rel);
        return matcher.matches(p) || (p.getFileName() != null && matcher.matches(p.getFileName()));
    }

    private static String key(IoOp op, String path) {
        return op.word() + ":" + path;
    }

    // ---- the control side -------------------------------------------------------------------------

    /** Arms a trigger and returns it (it may fire, and be spent, before the caller looks again). */
    synchronized Armed arm(Phase phase, IoOp op, long n, String glob, Action action, long delayMillis) {
        if (n < 1) throw new IllegalArgumentException("N must be >= 1");
        if (action == Action.ENOSPC || action == Action.EIO) phase = Phase.BEFORE;
        matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        armed = new Armed(phase, op, n, glob, action, delayMillis);
        seen = 0;
        fired = null;
        return armed;
    }

    /** Waits up to {@code millis} for the armed trigger to fire; the hit, or null. */
    synchronized Hit await(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (fired == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return null;
            wait(Math.max(1, left / 1_000_000));
        }
        return fired;
    }

    /** Lets a held or stalled operation go; with {@code discard} a held BEFORE operation fails without effect. */
    synchronized boolean release(boolean discard) {
        boolean was = holding;
        this.discard = discard;
        released = true;
        notifyAll();
        return was;
    }

    /** Forgets the armed trigger and lets anything held go on. */
    synchronized boolean disarm() {
        armed = null;
        return release(false);
    }

    synchronized boolean holding() {
        return holding;
    }

    synchronized Armed armed() {
        return armed;
    }

    synchronized long seen() {
        return seen;
    }

    /** Operations counted since the last reset, by {@code op:path}, in first-seen order. */
    synchronized Map<String, Long> counts() {
        return new LinkedHashMap<>(counts);
    }

    synchronized void resetCounts() {
        counts.clear();
    }

    synchronized long delayedOps() {
        return delayedOps;
    }

    synchronized long delayNanos() {
        return delayNanos;
    }
}
