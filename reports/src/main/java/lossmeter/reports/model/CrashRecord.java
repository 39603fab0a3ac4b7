package lossmeter.reports.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One crash of {@code crashes.json}: when it happened (ns since the trial started), the loss bound
 * the fault allowed, and how long recovery took. The recovered state is left unread: it can be large
 * and the report shows it only through the anomalies' evidence.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CrashRecord(int cycle, String fault, long time, String bound, Long boundNanos, Long recoveryMs,
                          String unavailableReason) {
}
