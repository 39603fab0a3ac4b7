package lossmeter.harness.run;

import java.util.LinkedHashMap;
import java.util.Map;

import lossmeter.faults.CrashPoint;
import lossmeter.faults.FaultEffect;

/**
 * What the fault of one crash cycle did, beside what the checker judged: where the crash landed
 * and the fault's effect. {@code finalRestart} marks the graceful restart that ends every trial,
 * which is not the cell's fault and is not counted for its effect.
 */
public record FaultRecord(CrashPoint point, FaultEffect effect, boolean finalRestart) {
    public FaultRecord {
        if (point == null) point = CrashPoint.time();
    }

    /** Whether this crash counts for its cell's fault, and took effect. */
    public boolean effectiveInjection() {
        return !finalRestart && effect != null && effect.effective();
    }

    Map<String, Object> toMap(String fault) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("final", finalRestart);
        m.put("crashPoint", point.toMap());
        m.put("effect", (effect == null ? FaultEffect.unmeasured(fault) : effect).toMap());
        return m;
    }
}
