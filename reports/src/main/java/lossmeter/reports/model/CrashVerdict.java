package lossmeter.reports.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One crash cycle of {@code verdict.json}: its verdict, loss metrics and anomalies. The loss is a
 * range: {@code lostAcked}/{@code lossWindowMs} under the least-loss explanation (the verdict's),
 * {@code lostAckedUpper}/{@code lossWindowUpperMs} under the most-loss one; files written before
 * the range existed read as upper = lower, not ambiguous.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CrashVerdict(int cycle, String fault, long crashTimeMs, String verdict, long ackedWrites, long lostAcked,
                           long lossWindowMs, Long durableHorizonMs, String note, List<Anomaly> anomalies,
                           Long lostAckedUpper, Long lossWindowUpperMs, Boolean ambiguous) {
    public CrashVerdict {
        anomalies = anomalies == null ? List.of() : List.copyOf(anomalies);
        lostAckedUpper = lostAckedUpper == null ? lostAcked : Math.max(lostAcked, lostAckedUpper);
        lossWindowUpperMs = lossWindowUpperMs == null ? lossWindowMs : Math.max(lossWindowMs, lossWindowUpperMs);
        ambiguous = ambiguous != null && ambiguous;
    }
}
