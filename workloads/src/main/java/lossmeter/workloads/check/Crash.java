package lossmeter.workloads.check;

import java.util.Map;

/**
 * One crash cycle's end: when the fault struck (trial clock, ns), the state read back after the
 * restart (key → Long for counters, List of String for lists; null when the target did not come
 * back), and how much loss the policy allows for this fault.
 */
public record Crash(int cycle, String fault, long time, Map<String, Object> recovered, DurabilityBound bound, String unavailableReason) {
    public static Crash recovered(int cycle, String fault, long time, Map<String, Object> state, DurabilityBound bound) {
        return new Crash(cycle, fault, time, state, bound, null);
    }

    public static Crash unavailable(int cycle, String fault, long time, String reason) {
        return new Crash(cycle, fault, time, null, DurabilityBound.NONE, reason);
    }
}
