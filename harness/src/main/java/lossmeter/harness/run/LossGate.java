package lossmeter.harness.run;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import lossmeter.faults.target.Policy;

/**
 * The CI gate: the largest data-loss window each policy may show in a campaign, e.g.
 * {@code always=0ms,everysec=2000ms}. A policy without a limit is reported, not gated.
 */
public record LossGate(Map<Policy, Duration> limits) {
    public LossGate {
        limits = Map.copyOf(limits);
    }

    /** docs/design.md's default: nothing lost under always, at most W under everysec, {@code no} ungated. */
    public static LossGate defaults(Duration window) {
        return new LossGate(Map.of(Policy.ALWAYS, Duration.ZERO, Policy.EVERYSEC, window));
    }

    /** Parses {@code policy=duration,…}; durations as {@link Durations#parse}. */
    public static LossGate parse(String spec) {
        Map<Policy, Duration> m = new EnumMap<>(Policy.class);
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) continue;
            int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1) {
                throw new IllegalArgumentException("bad gate '" + p + "' in '" + spec + "': expected policy=duration, e.g. always=0ms,everysec=2000ms");
            }
            Policy policy = Policy.parse(p.substring(0, eq));
            if (m.put(policy, Durations.parse(p.substring(eq + 1))) != null) {
                throw new IllegalArgumentException("gate '" + spec + "' names " + policy + " twice");
            }
        }
        if (m.isEmpty()) throw new IllegalArgumentException("empty gate: expected policy=duration, e.g. always=0ms,everysec=2000ms");
        return new LossGate(m);
    }

    /** True when the cell's largest loss window is above its policy's limit. */
    public boolean exceeded(Policy policy, long maxLossWindowMs) {
        Duration limit = limits.get(policy);
        return limit != null && maxLossWindowMs > limit.toMillis();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Policy p : Policy.values()) {
            Duration d = limits.get(p);
            if (d == null) continue;
            if (!sb.isEmpty()) sb.append(',');
            sb.append(p.confName()).append('=').append(Durations.format(d));
        }
        return sb.toString();
    }
}
