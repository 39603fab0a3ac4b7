package lossmeter.reports.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** One crash cycle of {@code verdict.json}: its verdict, loss metrics and anomalies. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CrashVerdict(int cycle, String fault, long crashTimeMs, String verdict, long ackedWrites, long lostAcked,
                           long lossWindowMs, Long durableHorizonMs, String note, List<Anomaly> anomalies) {
    public CrashVerdict {
        anomalies = anomalies == null ? List.of() : List.copyOf(anomalies);
    }
}
