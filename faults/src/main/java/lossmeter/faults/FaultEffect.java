package lossmeter.faults;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a fault did in one crash cycle, so a fault that changed nothing is never a silent pass:
 * {@code effective} when it changed what survived (unsynced bytes dropped or torn, files damaged)
 * or its condition was hit by the target (ENOSPC or EIO returned, an fsync stalled at the kill),
 * a one-line {@code summary} for people, and the figures behind it ({@code details}).
 */
public record FaultEffect(boolean effective, String summary, Map<String, Object> details) {
    public FaultEffect {
        details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public static FaultEffect effective(String summary, Map<String, Object> details) {
        return new FaultEffect(true, summary, details);
    }

    public static FaultEffect none(String summary, Map<String, Object> details) {
        return new FaultEffect(false, summary, details);
    }

    /** For a fault that reported nothing (one written outside lossmeter): counted as effective, and said so. */
    public static FaultEffect unmeasured(String fault) {
        return new FaultEffect(true, fault + " did not report its effect", Map.of());
    }

    /** The effect, then the crash point's figures: what {@code crashes.json} records per crash. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("effective", effective);
        m.put("summary", summary);
        m.putAll(details);
        return m;
    }
}
