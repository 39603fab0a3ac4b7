package lossmeter.workloads.history;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A complete history: every op in index order. It pairs each invocation with its completion
 * (same process, next record of that process); an invocation with no completion counts as
 * {@code info} (the run ended while it was in flight).
 */
public final class History {
    /** An invocation and how it ended; {@code completion} is never null (a synthetic info when missing). */
    public record Pair(Op invoke, Op completion) {
        public long invokeTime() {
            return invoke.time();
        }

        public long completeTime() {
            return completion.time();
        }

        public OpType type() {
            return completion.type();
        }

        public String f() {
            return invoke.f();
        }

        public String key() {
            return invoke.key();
        }

        public boolean isOk() {
            return completion.isOk();
        }

        public boolean isInfo() {
            return completion.isInfo();
        }

        public boolean isFail() {
            return completion.isFail();
        }
    }

    private final List<Op> ops;

    public History(List<Op> ops) {
        this.ops = List.copyOf(ops);
    }

    public List<Op> ops() {
        return ops;
    }

    public int size() {
        return ops.size();
    }

    /** Invocations paired with completions, in invocation order. */
    public List<Pair> pairs() {
        Map<Integer, Op> open = new HashMap<>();
        List<Pair> out = new ArrayList<>(ops.size() / 2 + 1);
        Map<Op, Integer> slot = new HashMap<>();
        List<Op[]> tmp = new ArrayList<>();
        for (Op op : ops) {
            if (op.isInvoke()) {
                Op prev = open.put(op.process(), op);
                if (prev != null) throw new IllegalArgumentException("process " + op.process() + " invoked twice without completing: " + op);
                slot.put(op, tmp.size());
                tmp.add(new Op[]{op, null});
            } else {
                Op inv = open.remove(op.process());
                if (inv == null) throw new IllegalArgumentException("completion without invocation: " + op);
                tmp.get(slot.get(inv))[1] = op;
            }
        }
        long end = ops.isEmpty() ? 0 : ops.get(ops.size() - 1).time();
        for (Op[] p : tmp) {
            Op c = p[1] != null ? p[1] : p[0].complete(-1, end, OpType.INFO, null, "no completion recorded");
            out.add(new Pair(p[0], c));
        }
        return Collections.unmodifiableList(out);
    }
}
