package lossmeter.workloads.check;

import lossmeter.workloads.history.History.Pair;

/**
 * One effect on one key: a plain write, or one step of a transaction. {@code position} is where
 * the server's reply puts it in the key's sequence since the last reset (1-based: INCR's new value
 * divided by the key's increment, or the list's new length), or 0 when the reply is unknown.
 */
record Write(Pair pair, int step, String f, String key, Object arg, long position, int cycle, int segment) {

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
