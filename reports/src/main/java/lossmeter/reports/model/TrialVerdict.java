package lossmeter.reports.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A trial's {@code verdict.json}: what the checker found, per crash, with evidence. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrialVerdict(String verdict, String trial, Long seed, String policy, String fault, String target,
                           String workload, String mix, Long windowMs, String targetVersion, String error,
                           Metrics metrics, List<CrashVerdict> crashes, List<Anomaly> liveReadAnomalies) {
    public TrialVerdict {
        crashes = crashes == null ? List.of() : List.copyOf(crashes);
        liveReadAnomalies = liveReadAnomalies == null ? List.of() : List.copyOf(liveReadAnomalies);
    }

    /** The numbers the checker computed for the whole trial. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Metrics(long ops, long ackedWrites, long lostAcked, long maxLossWindowMs, Long maxLossWindowUpperMs) {
        public Metrics {
            maxLossWindowUpperMs = maxLossWindowUpperMs == null ? maxLossWindowMs : Math.max(maxLossWindowMs, maxLossWindowUpperMs);
        }
    }
}
