package lossmeter.harness.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import lossmeter.workloads.check.AnomalyKind;

/**
 * {@code results.json}, the campaign's machine-readable result for CI. Stable field names: top
 * level {@code verdict} ("PASS"/"FAIL"), {@code seed}, {@code target}, {@code cells} (each exactly
 * {@code policy, fault, trials, crashes, ackedWrites, lostAcked, maxLossWindowMs, violations,
 * unavailable, anomalies}, the last mapping every anomaly kind to its count); then further top-level
 * fields for people: {@code command}, {@code workload}, {@code gate}, {@code overGate},
 * {@code startedAt}, {@code durationMs}, {@code aborted}, {@code trials}.
 */
public final class ResultsJson {
    public static final String FILE = "results.json";

    private ResultsJson() {
    }

    public static void write(Path file, CampaignResult r, String command) throws IOException {
        Json.PRETTY.writeValue(file.toFile(), toMap(r, command));
    }

    static Map<String, Object> toMap(CampaignResult r, String command) {
        CampaignSpec spec = r.spec();
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("verdict", r.passes() ? "PASS" : "FAIL");
        top.put("seed", spec.seed());
        top.put("target", spec.target().spec());
        List<Object> cells = new ArrayList<>();
        for (CellResult c : r.cells()) cells.add(cell(c));
        top.put("cells", cells);
        top.put("command", command);
        top.put("workload", spec.settings().workload().name());
        top.put("gate", spec.gate().toString());
        top.put("overGate", r.overGate().stream().map(c -> c.policy().confName() + "-" + c.fault()).toList());
        top.put("startedAt", r.startedAt().toString());
        top.put("durationMs", r.durationMs());
        top.put("aborted", r.aborted());
        List<Object> trials = new ArrayList<>();
        for (TrialResult t : r.trials()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("trial", t.id().toString());
            m.put("verdict", t.verdict().name());
            m.put("seed", t.seed());
            m.put("error", t.error());
            m.put("reproduce", t.passes() ? null : spec.reproduceCommand(t.id()));
            trials.add(m);
        }
        top.put("trials", trials);
        return top;
    }

    private static Map<String, Object> cell(CellResult c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("policy", c.policy().confName());
        m.put("fault", c.fault());
        m.put("trials", c.trials());
        m.put("crashes", c.crashes());
        m.put("ackedWrites", c.ackedWrites());
        m.put("lostAcked", c.lostAcked());
        m.put("maxLossWindowMs", c.maxLossWindowMs());
        m.put("violations", c.violations());
        m.put("unavailable", c.unavailable());
        Map<String, Object> anomalies = new LinkedHashMap<>();
        for (AnomalyKind k : AnomalyKind.values()) anomalies.put(k.name(), c.anomalies().getOrDefault(k, 0));
        m.put("anomalies", anomalies);
        return m;
    }
}
