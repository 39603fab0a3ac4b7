package lossmeter.workloads.check;

import java.util.Map;
import java.util.Objects;

/**
 * One crash cycle's end: which fault struck and its class, when (trial clock, ns), the state read
 * back after the restart (key → Long for counters, List of String for lists; null when the target
 * did not come back), and how much loss the policy allows for this fault. The class decides how
 * the outcome is judged (see {@link FaultClass}); the bound applies to CRASH and RESOURCE faults.
 */
public record Crash(int cycle, String fault, long time, Map<String, Object> recovered, DurabilityBound bound, String unavailableReason,
                    FaultClass faultClass) {
    public Crash {
        Objects.requireNonNull(faultClass, "faultClass");
        Objects.requireNonNull(bound, "bound");
    }

    /** A crash-class fault (the class every fault had before classes existed). */
    public Crash(int cycle, String fault, long time, Map<String, Object> recovered, DurabilityBound bound, String unavailableReason) {
        this(cycle, fault, time, recovered, bound, unavailableReason, FaultClass.CRASH);
    }

    public static Crash recovered(int cycle, String fault, long time, Map<String, Object> state, DurabilityBound bound) {
        return recovered(cycle, fault, FaultClass.CRASH, time, state, bound);
    }

    public static Crash recovered(int cycle, String fault, FaultClass faultClass, long time, Map<String, Object> state,
                                  DurabilityBound bound) {
        return new Crash(cycle, fault, time, state, bound, null, faultClass);
    }

    public static Crash unavailable(int cycle, String fault, long time, String reason) {
        return unavailable(cycle, fault, FaultClass.CRASH, time, reason);
    }

    public static Crash unavailable(int cycle, String fault, FaultClass faultClass, long time, String reason) {
        return new Crash(cycle, fault, time, null, DurabilityBound.NONE, reason, faultClass);
    }

    /**
     * The bound the checker applies: a pause loses nothing whatever the policy; media damage may
     * cost any prefix (the loss is the damage's, not the policy's); crash and resource faults
     * carry the policy's bound.
     */
    public DurabilityBound effectiveBound() {
        return switch (faultClass) {
            case LIVENESS -> DurabilityBound.NONE;
            case MEDIA -> DurabilityBound.UNBOUNDED;
            case CRASH, RESOURCE -> bound;
        };
    }
}
