package lossmeter.faults.target;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

import lossmeter.workloads.check.DurabilityBound;

/** An fsync policy ({@code appendfsync}), named as redis.conf spells it. */
public enum Policy {
    ALWAYS,
    EVERYSEC,
    NO;

    /** The redis.conf spelling: {@code always}, {@code everysec}, {@code no}. */
    public String confName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * What the policy promises when unsynced data is lost (power loss, torn writes): nothing
     * acknowledged under {@code always}, at most the window W under {@code everysec}, any suffix
     * under {@code no}. Process-level crashes lose nothing under any policy, so they do not use this.
     */
    public DurabilityBound unsyncedLossBound(Duration window) {
        return switch (this) {
            case ALWAYS -> DurabilityBound.NONE;
            case EVERYSEC -> DurabilityBound.ofMillis(window.toMillis());
            case NO -> DurabilityBound.UNBOUNDED;
        };
    }

    public static Policy parse(String s) {
        for (Policy p : values()) {
            if (p.confName().equals(s.trim().toLowerCase(Locale.ROOT))) return p;
        }
        throw new IllegalArgumentException("unknown policy '" + s + "' (one of "
                + String.join(", ", Arrays.stream(values()).map(Policy::confName).toList()) + ")");
    }

    @Override
    public String toString() {
        return confName();
    }
}
