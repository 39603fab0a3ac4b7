package lossmeter.reports.model;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One crash of {@code crashes.json}: when it happened (ns since the trial started), the loss bound
 * the fault allowed, how long recovery took, where the crash landed ({@code crashPoint}: its
 * {@code describe} line and the operation's figures) and what the fault did ({@code effect}:
 * {@code effective}, {@code summary} and figures); {@code isFinal} marks the trial's closing
 * restart. The recovered state is left unread: it can be large and the report shows it only
 * through the anomalies' evidence.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CrashRecord(int cycle, String fault, long time, String bound, Long boundNanos, Long recoveryMs,
                          String unavailableReason, Map<String, Object> crashPoint, Map<String, Object> effect,
                          @JsonProperty("final") Boolean isFinal) {
    public CrashRecord(int cycle, String fault, long time, String bound, Long boundNanos, Long recoveryMs, String unavailableReason) {
        this(cycle, fault, time, bound, boundNanos, recoveryMs, unavailableReason, null, null, null);
    }

    /** The crash point in one line, or null when the file does not say. */
    public String crashPointText() {
        return crashPoint == null ? null : String.valueOf(crashPoint.get("describe"));
    }

    /** True or false when the fault reported its effect, null when the file does not say. */
    public Boolean effective() {
        return effect == null ? null : (Boolean) effect.get("effective");
    }

    public String effectSummary() {
        return effect == null ? null : String.valueOf(effect.get("summary"));
    }
}
