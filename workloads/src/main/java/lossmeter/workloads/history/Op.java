package lossmeter.workloads.history;

/**
 * One record of a history, Jepsen-style. {@code time} is nanoseconds since the trial started, on
 * the one monotonic clock shared by ops and faults. {@code value} is the argument on an invoke
 * and the result on a completion, in plain JSON-like types: Long, String, List, or null.
 * Functions ({@code f}): {@code incr} (value: the increment; result: the new value), {@code rpush}
 * and {@code lpush} (value: the element; result: the new length), {@code get} (result: Long or
 * null), {@code lrange} (result: the list), {@code flushall}, {@code txn} (value: a list of
 * {@code [f, key, value]} steps; result: the list of step results).
 */
public record Op(long index, long time, OpType type, int process, String f, String key, Object value, String error) {

    public boolean isInvoke() {
        return type == OpType.INVOKE;
    }

    public boolean isOk() {
        return type == OpType.OK;
    }

    public boolean isInfo() {
        return type == OpType.INFO;
    }

    public boolean isFail() {
        return type == OpType.FAIL;
    }

    /** The completion of this invocation with the given type, result and error. */
    public Op complete(long index, long time, OpType type, Object result, String error) {
        return new Op(index, time, type, process, f, key, result, error);
    }

    @Override
    public String toString() {
        return "#" + index + " t=" + time / 1_000_000 + "ms p" + process + " " + type.jsonName() + " " + f
                + (key == null ? "" : " " + key) + (value == null ? "" : " " + value) + (error == null ? "" : " (" + error + ")");
    }
}
