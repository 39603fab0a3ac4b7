package lossmeter.reports.model;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One policy × fault cell of {@code results.json}, as the harness summed it. {@code injected} and
 * {@code effective} (crashes of the cell's fault, and those where it took effect) and
 * {@code noEffect} are null in files written before faults reported their effect.
 * {@code maxLossWindowUpperMs} is the largest window an ambiguous recovered state also fits;
 * absent (older files) it reads as {@code maxLossWindowMs}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Cell(String policy, String fault, int trials, int crashes, long ackedWrites, long lostAcked,
                   long maxLossWindowMs, Long maxLossWindowUpperMs, int violations, int unavailable, Map<String, Integer> anomalies,
                   Integer injected, Integer effective, Boolean noEffect) {
    public Cell {
        anomalies = anomalies == null ? Map.of() : Map.copyOf(anomalies);
        maxLossWindowUpperMs = maxLossWindowUpperMs == null ? maxLossWindowMs : Math.max(maxLossWindowMs, maxLossWindowUpperMs);
    }

    /** A cell without a loss range (the upper is the window) and without effect counts. */
    public Cell(String policy, String fault, int trials, int crashes, long ackedWrites, long lostAcked, long maxLossWindowMs,
                int violations, int unavailable, Map<String, Integer> anomalies) {
        this(policy, fault, trials, crashes, ackedWrites, lostAcked, maxLossWindowMs, null, violations, unavailable, anomalies, null,
                null, null);
    }

    /** A cell with a loss range and without effect counts. */
    public Cell(String policy, String fault, int trials, int crashes, long ackedWrites, long lostAcked, long maxLossWindowMs,
                Long maxLossWindowUpperMs, int violations, int unavailable, Map<String, Integer> anomalies) {
        this(policy, fault, trials, crashes, ackedWrites, lostAcked, maxLossWindowMs, maxLossWindowUpperMs, violations, unavailable,
                anomalies, null, null, null);
    }

    /** Whether the harness found the cell's fault took effect in too few crashes to say anything. */
    public boolean withoutEffect() {
        return Boolean.TRUE.equals(noEffect);
    }

    /** {@code effective/injected}, or null when the file does not say. */
    public String effectiveShare() {
        return injected == null || effective == null ? null : effective + "/" + injected;
    }

    /** {@code policy-fault}, the prefix of its trials' ids and the name used in overGate. */
    public String key() {
        return policy + "-" + fault;
    }

    /** The anomaly kinds seen at least once, sorted. */
    public List<String> anomalyKinds() {
        return new TreeMap<>(anomalies).entrySet().stream().filter(e -> e.getValue() != null && e.getValue() > 0)
                .map(Map.Entry::getKey).toList();
    }
}
