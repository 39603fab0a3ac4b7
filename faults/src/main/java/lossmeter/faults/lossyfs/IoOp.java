package lossmeter.faults.lossyfs;

import java.util.Locale;

/** The file operations a crash point can be keyed to, by their names in the control protocol. */
public enum IoOp {
    WRITE, FSYNC, FDATASYNC, FSYNCDIR, RENAME, TRUNCATE, UNLINK, CREATE;

    /** The protocol name: {@code write}, {@code fdatasync}, … */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static IoOp parse(String word) {
        for (IoOp op : values()) if (op.word().equalsIgnoreCase(word)) return op;
        throw new IllegalArgumentException("unknown operation '" + word + "' (one of write, fsync, fdatasync, fsyncdir, rename, "
                + "truncate, unlink, create)");
    }

    /** Before the operation takes effect, or after it took effect and before the caller sees its result. */
    public enum Phase {
        BEFORE, AFTER;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Phase parse(String word) {
            for (Phase p : values()) if (p.word().equalsIgnoreCase(word)) return p;
            throw new IllegalArgumentException("phase must be before or after, not '" + word + "'");
        }
    }
}
