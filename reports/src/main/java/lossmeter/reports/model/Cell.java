package lossmeter.reports.model;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One policy × fault cell of {@code results.json}, as the harness summed it. {@code maxLossWindowUpperMs}
 * is the largest window an ambiguous recovered state also fits; absent (older files) it reads as
 * {@code maxLossWindowMs}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Cell(String policy, String fault, int trials, int crashes, long ackedWrites, long lostAcked,
                   long maxLossWindowMs, Long maxLossWindowUpperMs, int violations, int unavailable, Map<String, Integer> anomalies) {
    public Cell {
        anomalies = anomalies == null ? Map.of() : Map.copyOf(anomalies);
        maxLossWindowUpperMs = maxLossWindowUpperMs == null ? maxLossWindowMs : Math.max(maxLossWindowMs, maxLossWindowUpperMs);
    }

    /** A cell without a loss range: the upper is the window. */
    public Cell(String policy, String fault, int trials, int crashes, long ackedWrites, long lostAcked, long maxLossWindowMs,
                int violations, int unavailable, Map<String, Integer> anomalies) {
        this(policy, fault, trials, crashes, ackedWrites, lostAcked, maxLossWindowMs, null, violations, unavailable, anomalies);
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
