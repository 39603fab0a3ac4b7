package lossmeter.reports.model;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * {@code results.json} as the harness writes it (see {@code results.schema.json}), read-only.
 * Fields a newer or older harness adds or leaves out are tolerated: absent ones are null or empty.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Results(String verdict, Long seed, String target, String targetVersion, List<Cell> cells, String command,
                      String workload, String gate, List<String> overGate, String startedAt, Long durationMs,
                      String aborted, List<TrialSummary> trials, Map<String, String> machine) {
    public Results {
        cells = cells == null ? List.of() : List.copyOf(cells);
        overGate = overGate == null ? List.of() : List.copyOf(overGate);
        trials = trials == null ? List.of() : List.copyOf(trials);
        machine = machine == null ? Map.of() : Map.copyOf(machine);
    }

    public boolean passed() {
        return "PASS".equals(verdict);
    }

    /** The policies in the order their cells appear. */
    public List<String> policies() {
        return cells.stream().map(Cell::policy).distinct().toList();
    }

    /** The faults in the order their cells appear. */
    public List<String> faults() {
        return cells.stream().map(Cell::fault).distinct().toList();
    }

    public Cell cell(String policy, String fault) {
        return cells.stream().filter(c -> c.policy().equals(policy) && c.fault().equals(fault)).findFirst().orElse(null);
    }
}
