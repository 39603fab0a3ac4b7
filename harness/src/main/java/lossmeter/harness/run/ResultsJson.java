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
 * {@code policy, fault, trials, crashes, injected, effective, noEffect, ackedWrites, lostAcked,
 * maxLossWindowMs, violations, unavailable, anomalies}, the last mapping every anomaly kind to its
 * count, and {@code maxLossWindowUpperMs}, the largest window an ambiguous recovered state also
 * fits); then further top-level fields for people: {@code targetVersion}, {@code command},
 * {@code workload}, {@code gate}, {@code overGate}, {@code requireEffectPercent}, {@code crashPoint},
 * {@code startedAt}, {@code durationMs}, {@code aborted}, {@code machine}, {@code trials}.
 * The JSON Schema is the reports module's {@code results.schema.json} (copy in docs/).
 */
public final class ResultsJson {
    public static final String FILE = lossmeter.reports.model.ResultsFiles.RESULTS;

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
        for (CellResult c : r.cells()) cells.add(cell(c, spec.requireEffectPercent()));
        top.put("cells", cells);
        // What INFO server said at the first start; every trial starts the same binary, so the first answer stands for all.
        top.put("targetVersion", r.trials().stream().map(TrialResult::targetVersion).filter(java.util.Objects::nonNull).findFirst().orElse(null));
        top.put("command", command);
        top.put("workload", spec.settings().workload().name());
        top.put("gate", spec.gate().toString());
        top.put("overGate", r.overGate().stream().map(c -> c.policy().confName() + "-" + c.fault()).toList());
        top.put("requireEffectPercent", spec.requireEffectPercent());
        top.put("crashPoint", spec.settings().crashPoint().word());
        top.put("startedAt", r.startedAt().toString());
        top.put("durationMs", r.durationMs());
        top.put("aborted", r.aborted());
        top.put("machine", machine());
        top.put("nodes", spec.fleet().nodes().stream().map(lossmeter.harness.node.NodeSpec::name).toList());
        top.put("parallel", spec.fleet().parallel());
        if (!spec.shard().isAll()) top.put("shard", spec.shard().toString());
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("policies", spec.policies().stream().map(p -> p.confName()).toList());
        plan.put("faults", spec.faults().stream().map(f -> f.name()).toList());
        plan.put("trialsPerCell", spec.trials());
        plan.put("trials", spec.allTrialIds().size());
        plan.put("campaign", spec.campaignKey());
        top.put("plan", plan);
        List<Object> trials = new ArrayList<>();
        for (TrialResult t : r.trials()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("trial", t.id().toString());
            m.put("verdict", t.verdict().name());
            m.put("seed", t.seed());
            m.put("error", t.error());
            m.put("reproduce", t.passes() ? null : spec.reproduceCommand(t.id(), t.node()));
            m.put("node", t.node());
            trials.add(m);
        }
        top.put("trials", trials);
        return top;
    }

    /** Where the campaign ran, so a report read elsewhere says what the numbers were measured on. */
    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        String host = System.getenv("HOSTNAME");
        if (host == null) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "unknown";
            }
        }
        m.put("host", host);
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        m.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
        return m;
    }

    private static Map<String, Object> cell(CellResult c, double requireEffect) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("policy", c.policy().confName());
        m.put("fault", c.fault());
        m.put("trials", c.trials());
        m.put("crashes", c.crashes());
        m.put("injected", c.injected());
        m.put("effective", c.effective());
        m.put("noEffect", c.noEffect(requireEffect));
        m.put("ackedWrites", c.ackedWrites());
        m.put("lostAcked", c.lostAcked());
        m.put("maxLossWindowMs", c.maxLossWindowMs());
        m.put("maxLossWindowUpperMs", c.maxLossWindowUpperMs());
        m.put("violations", c.violations());
        m.put("unavailable", c.unavailable());
        Map<String, Object> anomalies = new LinkedHashMap<>();
        for (AnomalyKind k : AnomalyKind.values()) anomalies.put(k.name(), c.anomalies().getOrDefault(k, 0));
        m.put("anomalies", anomalies);
        return m;
    }
}
