package lossmeter.reports.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/** One line of {@code history.jsonl} (or an op in an anomaly's evidence); time in ns since the trial started. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OpRecord(long index, long time, String type, int process, String f, String key, JsonNode value, String error) {
    public boolean isInvoke() {
        return "invoke".equals(type);
    }
}
