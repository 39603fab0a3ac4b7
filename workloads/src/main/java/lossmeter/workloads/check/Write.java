package lossmeter.workloads.check;

import lossmeter.workloads.history.History.Pair;

/**
 * One effect on one key: a plain write, or one step of a transaction. {@code position} is where
 * the server's reply puts it in the key's sequence since the last reset (1-based: INCR's new value
 * divided by the key's increment, or the list's new length), or 0 when the reply is unknown.
 * {@code segment} is the FLUSHALL-separated segment of its cycle. Equality is identity: the
 * checker keeps writes in hash sets, and hashing a record would hash the whole op with its value.
 */
final class Write {
    private final Pair pair;
    private final int step;
    private final String f;
    private final String key;
    private final Object arg;
    private final long position;
    private final int cycle;
    private final int segment;

    Write(Pair pair, int step, String f, String key, Object arg, long position, int cycle, int segment) {
        this.pair = pair;
        this.step = step;
        this.f = f;
        this.key = key;
        this.arg = arg;
        this.position = position;
        this.cycle = cycle;
        this.segment = segment;
    }

    Pair pair() { return pair; }
    int step() { return step; }
    String f() { return f; }
    String key() { return key; }
    Object arg() { return arg; }
    long position() { return position; }
    int cycle() { return cycle; }
    int segment() { return segment; }

    boolean ok() {
        return pair.isOk();
    }

    boolean info() {
        return pair.isInfo();
    }

    long invokeTime() {
        return pair.invokeTime();
    }

    long ackTime() {
        return pair.completeTime();
    }

    boolean isTxnStep() {
        return step >= 0;
    }

    /** The list element this write pushes (lists only). */
    String element() {
        return arg instanceof String s ? s : null;
    }

    @Override
    public String toString() {
        return f + " " + key + (arg == null ? "" : " " + arg) + (position > 0 ? " @" + position : "") + " (" + pair.type() + ")";
    }
}
