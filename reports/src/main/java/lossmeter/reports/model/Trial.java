package lossmeter.reports.model;

import java.nio.file.Path;
import java.util.List;

/**
 * One trial's dir in a results dir: its summary line of results.json, its verdict.json and
 * crashes.json (null / empty when missing, e.g. a trial interrupted before checking), and the
 * files it holds, as paths relative to the results dir so the report can link them.
 */
public record Trial(String id, Path dir, TrialSummary summary, TrialVerdict verdict, List<CrashRecord> crashes,
                    List<String> files) {
    public Trial {
        crashes = List.copyOf(crashes);
        files = List.copyOf(files);
    }

    /** The cell key, {@code policy-fault}: the id without its trailing {@code -n}. */
    public String cellKey() {
        int dash = id.lastIndexOf('-');
        return dash < 0 ? id : id.substring(0, dash);
    }

    public String verdictName() {
        if (summary != null && summary.verdict() != null) return summary.verdict();
        return verdict == null ? "INDETERMINATE" : verdict.verdict();
    }

    public boolean failed() {
        String v = verdictName();
        return !("OK".equals(v) || "LOSS_WITHIN_POLICY".equals(v));
    }

    public CrashRecord crash(int cycle) {
        return crashes.stream().filter(c -> c.cycle() == cycle).findFirst().orElse(null);
    }
}
