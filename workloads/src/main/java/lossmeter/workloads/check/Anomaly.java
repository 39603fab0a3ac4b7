package lossmeter.workloads.check;

import java.util.List;

import lossmeter.workloads.history.Op;

/**
 * One anomaly with its evidence: the ops involved (invocations and completions), what a correct
 * server would hold, and what came back.
 */
public record Anomaly(AnomalyKind kind, String key, String message, List<Op> ops, Object expected, Object recovered) {
    public Anomaly {
        ops = List.copyOf(ops);
    }
}
