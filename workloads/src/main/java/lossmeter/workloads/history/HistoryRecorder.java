package lossmeter.workloads.history;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Records ops from many client threads: assigns the index and the time (nanoseconds since the
 * trial's start, one monotonic clock for ops and faults), and hands each record to a sink (e.g. a
 * history.jsonl writer) in index order.
 */
public final class HistoryRecorder {
    private final long startNanos;
    private final List<Op> ops = new ArrayList<>();
    private final Consumer<Op> sink;

    public HistoryRecorder(long startNanos, Consumer<Op> sink) {
        this.startNanos = startNanos;
        this.sink = sink;
    }

    /** Time now on the trial clock. */
    public long now() {
        return System.nanoTime() - startNanos;
    }

    public long startNanos() {
        return startNanos;
    }

    public synchronized Op invoke(int process, String f, String key, Object value) {
        Op op = new Op(ops.size(), now(), OpType.INVOKE, process, f, key, value, null);
        add(op);
        return op;
    }

    public synchronized Op complete(Op invoke, OpType type, Object result, String error) {
        Op op = invoke.complete(ops.size(), now(), type, result, error);
        add(op);
        return op;
    }

    private void add(Op op) {
        ops.add(op);
        sink.accept(op);
    }

    public synchronized History history() {
        return new History(ops);
    }

    public synchronized int size() {
        return ops.size();
    }
}
