package lossmeter.faults;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import lossmeter.faults.lossyfs.IoOp;

/**
 * Where a crash landed: at a wall-clock moment ({@link Mode#TIME}), or at an I/O operation of the
 * target ({@link Mode#IO}): the {@code n}th {@code op} on a file matching {@code glob}, counted
 * from when it was armed, held {@code phase} it took effect. Once lossyfs reached it, {@code path},
 * {@code offset} and {@code bytes} say which operation it was; {@code reached} false means the
 * target never made it within the wait and the crash fell back to the time it gave up.
 */
public record CrashPoint(Mode mode, IoOp.Phase phase, IoOp op, long n, String glob, String action, boolean reached,
                         String path, long offset, long bytes) {
    /** How the crash moment is chosen (the {@code --crash-point} flag). */
    public enum Mode {
        /** A seeded moment of the cycle. */
        TIME,
        /** A seeded I/O operation of the target, where lossyfs is mounted. */
        IO;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Mode parse(String word) {
            for (Mode m : values()) if (m.word().equalsIgnoreCase(word)) return m;
            throw new IllegalArgumentException("--crash-point must be time or io, not '" + word + "'");
        }
    }

    /** A crash at a moment of the cycle, not at an operation. */
    public static CrashPoint time() {
        return new CrashPoint(Mode.TIME, null, null, 0, null, null, true, null, -1, -1);
    }

    /** A point a scenario fixes in advance: the {@code n}th {@code op} (≥ 1) on a file of the family {@code glob}. */
    public static CrashPoint planned(IoOp.Phase phase, IoOp op, long n, String glob) {
        if (n < 1) throw new IllegalArgumentException("a crash point's n must be ≥ 1, not " + n);
        java.util.Objects.requireNonNull(phase, "phase");
        java.util.Objects.requireNonNull(op, "op");
        java.util.Objects.requireNonNull(glob, "glob");
        return armed(phase, op, n, glob, null);
    }

    /** The same point, {@code n} set to another count (a shrinker moving it earlier). */
    public CrashPoint withN(long other) {
        return planned(phase, op, other, glob);
    }

    /** An armed point not yet reached. */
    static CrashPoint armed(IoOp.Phase phase, IoOp op, long n, String glob, String action) {
        return new CrashPoint(Mode.IO, phase, op, n, glob, action, false, null, -1, -1);
    }

    CrashPoint reachedAt(String path, long offset, long bytes) {
        return new CrashPoint(mode, phase, op, n, glob, action, true, path, offset, bytes);
    }

    /** One line for the event log and the report, e.g. {@code before fdatasync #3 of appendonly.aof*}. */
    public String describe() {
        if (mode == Mode.TIME) return "time";
        String s = phase.word() + " " + op.word() + " #" + n + " of " + glob;
        if (!reached) return s + " (not reached)";
        return s + " at " + path + (offset >= 0 ? " offset " + offset : "") + (bytes >= 0 ? " bytes " + bytes : "");
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode.word());
        if (mode == Mode.IO) {
            m.put("phase", phase.word());
            m.put("op", op.word());
            m.put("n", n);
            m.put("glob", glob);
            m.put("action", action);
            m.put("reached", reached);
            m.put("path", path);
            m.put("offset", offset < 0 ? null : offset);
            m.put("bytes", bytes < 0 ? null : bytes);
        }
        m.put("describe", describe());
        return m;
    }
}
