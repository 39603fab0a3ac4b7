package lossmeter.reports.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/** An anomaly with its evidence, as {@code verdict.json} holds it: the ops involved, expected vs recovered. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Anomaly(String kind, String key, String message, JsonNode expected, JsonNode recovered, List<OpRecord> ops) {
    public Anomaly {
        ops = ops == null ? List.of() : List.copyOf(ops);
    }
}
