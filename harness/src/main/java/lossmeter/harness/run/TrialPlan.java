package lossmeter.harness.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import lossmeter.faults.CrashPoint;

/**
 * A trial fixed in advance, cycle by cycle, instead of drawn by time (a scenario: explore, shrink,
 * replay). Cycle k invokes {@code ops} ops and waits until all of them were answered, so with one
 * client the history before each crash is exactly the first ops of the seeded stream, every one
 * acknowledged (or refused) before it; then the fault strikes. A fault that needs the workload
 * running while it strikes ({@link lossmeter.faults.Fault#needsTraffic()}) gets it back from that
 * moment, and its crash point counts I/O operations from there. {@code point} fixes an aimed crash point; null lets the fault draw one. The
 * trial ends with a graceful restart without further ops. {@code directives} go to every start of
 * the target (a fault's own directives win); {@code replay} is the command that runs it again.
 */
public record TrialPlan(List<Cycle> cycles, Map<String, String> directives, String replay) {
    /** One crash cycle: how many ops are invoked before the fault strikes, and where an aimed fault strikes (null: drawn). */
    public record Cycle(long ops, CrashPoint point) {
        public Cycle {
            if (ops < 0) throw new IllegalArgumentException("a cycle's ops must be ≥ 0, not " + ops);
        }
    }

    public TrialPlan {
        cycles = List.copyOf(cycles);
        if (cycles.isEmpty()) throw new IllegalArgumentException("a plan needs at least one crash cycle");
        directives = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(directives));
    }
}
