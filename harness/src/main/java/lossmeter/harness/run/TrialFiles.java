package lossmeter.harness.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;

import lossmeter.reports.model.ResultsFiles;
import lossmeter.workloads.check.Anomaly;
import lossmeter.workloads.check.CheckResult;
import lossmeter.workloads.check.Crash;
import lossmeter.workloads.check.CrashVerdict;
import lossmeter.workloads.check.DurabilityBound;
import lossmeter.workloads.check.FaultClass;
import lossmeter.workloads.history.Op;

/**
 * The files of a trial's results dir besides the history: {@code crashes.json} (what the checker
 * needs beside the history: each crash's time, bound and recovered state, so {@code lossmeter
 * check} can judge the trial again offline) and {@code verdict.json} (what the checker found).
 * The file names are the reports module's ({@link ResultsFiles}), which reads them back.
 */
public final class TrialFiles {
    public static final String CRASHES = ResultsFiles.CRASHES;
    public static final String VERDICT = ResultsFiles.VERDICT;
    public static final String TARGET_LOG = ResultsFiles.TARGET_LOG;
    public static final String EVENTS = ResultsFiles.EVENTS;
    public static final String DATA = ResultsFiles.DATA;

    private TrialFiles() {
    }

    /** The copy of the data dir taken after the k-th crash's death, before its restart. */
    public static String crashCopy(int cycle) {
        return ResultsFiles.crashCopy(cycle);
    }

    static void writeCrashes(Path file, TrialSpec spec, List<Crash> crashes, List<Long> recoveryNanos, List<FaultRecord> records)
            throws IOException {
        Map<String, Object> top = header(spec);
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < crashes.size(); i++) {
            Crash c = crashes.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cycle", c.cycle());
            m.put("fault", c.fault());
            m.put("faultClass", c.faultClass().name());
            m.put("time", c.time());
            m.put("timeMs", c.time() / 1_000_000);
            m.put("bound", c.bound().toString());
            m.put("boundNanos", c.bound().windowNanos());
            if (c.bound().hasHorizon()) m.put("boundHorizonNanos", c.bound().horizonNanos());
            m.put("recoveryMs", i < recoveryNanos.size() && recoveryNanos.get(i) >= 0 ? recoveryNanos.get(i) / 1_000_000 : null);
            m.put("unavailableReason", c.unavailableReason());
            if (i < records.size()) m.putAll(records.get(i).toMap(c.fault()));
            m.put("recovered", c.recovered());
            list.add(m);
        }
        top.put("crashes", list);
        Json.PRETTY.writeValue(file.toFile(), top);
    }

    /** The crashes of a saved trial, as the checker takes them. */
    @SuppressWarnings("unchecked")
    public static List<Crash> readCrashes(Path file) throws IOException {
        Map<String, Object> top = (Map<String, Object>) Json.normalize(Json.PRETTY.readValue(file.toFile(),
                new TypeReference<LinkedHashMap<String, Object>>() {
                }));
        List<Crash> out = new ArrayList<>();
        for (Object o : (List<Object>) top.get("crashes")) {
            Map<String, Object> m = (Map<String, Object>) o;
            int cycle = ((Number) m.get("cycle")).intValue();
            String fault = (String) m.get("fault");
            long time = ((Number) m.get("time")).longValue();
            Object recovered = m.get("recovered");
            // Files written before fault classes and horizons have neither field: a crash-class window bound.
            FaultClass faultClass = m.get("faultClass") == null ? FaultClass.CRASH : FaultClass.valueOf((String) m.get("faultClass"));
            if (recovered == null) {
                out.add(Crash.unavailable(cycle, fault, faultClass, time, (String) m.get("unavailableReason")));
            } else {
                long window = ((Number) m.get("boundNanos")).longValue();
                Object horizon = m.get("boundHorizonNanos");
                DurabilityBound bound = horizon == null ? new DurabilityBound(window)
                        : new DurabilityBound(window, ((Number) horizon).longValue());
                out.add(Crash.recovered(cycle, fault, faultClass, time, (Map<String, Object>) recovered, bound));
            }
        }
        return out;
    }

    static void writeVerdict(Path file, TrialSpec spec, TrialResult r) throws IOException {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("verdict", r.verdict().name());
        top.putAll(header(spec));
        top.put("targetVersion", r.targetVersion());
        top.put("error", r.error());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("ops", r.ops());
        metrics.put("ackedWrites", r.ackedWrites());
        metrics.put("lostAcked", r.lostAcked());
        metrics.put("maxLossWindowMs", r.maxLossWindowNanos() / 1_000_000);
        metrics.put("maxLossWindowUpperMs", r.maxLossWindowUpperNanos() / 1_000_000);
        metrics.put("recoveryMs", r.recoveryNanos().stream().map(n -> n < 0 ? null : n / 1_000_000).toList());
        top.put("metrics", metrics);
        top.put("crashes", crashVerdicts(r));
        top.put("liveReadAnomalies", r.check() == null ? List.of() : anomalies(r.check().liveReadAnomalies()));
        Json.PRETTY.writeValue(file.toFile(), top);
    }

    private static List<Object> crashVerdicts(TrialResult r) {
        List<Object> out = new ArrayList<>();
        CheckResult check = r.check();
        if (check == null) {
            for (Crash c : r.crashes()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("cycle", c.cycle());
                m.put("fault", c.fault());
                m.put("crashTimeMs", c.time() / 1_000_000);
                m.put("verdict", c.recovered() == null ? "UNAVAILABLE" : "INDETERMINATE");
                m.put("note", c.recovered() == null ? c.unavailableReason() : "not checked: " + r.error());
                out.add(m);
            }
            return out;
        }
        for (CrashVerdict c : check.crashes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cycle", c.cycle());
            m.put("fault", c.fault());
            m.put("crashTimeMs", c.crashTime() / 1_000_000);
            m.put("verdict", c.verdict().name());
            m.put("ackedWrites", c.ackedWrites());
            m.put("lostAcked", c.lostAcked());
            m.put("lossWindowMs", c.lossWindowNanos() / 1_000_000);
            // The most loss the recovered state also fits; equal to the above unless ambiguous.
            m.put("lostAckedUpper", c.lostAckedUpper());
            m.put("lossWindowUpperMs", c.lossWindowUpperNanos() / 1_000_000);
            m.put("ambiguous", c.ambiguous());
            m.put("durableHorizonMs", c.durableHorizonNanos() < 0 ? null : c.durableHorizonNanos() / 1_000_000);
            m.put("note", c.note());
            m.put("anomalies", anomalies(c.anomalies()));
            out.add(m);
        }
        return out;
    }

    static List<Object> anomalies(List<Anomaly> anomalies) {
        List<Object> out = new ArrayList<>();
        for (Anomaly a : anomalies) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", a.kind().name());
            m.put("key", a.key());
            m.put("message", a.message());
            m.put("expected", a.expected());
            m.put("recovered", a.recovered());
            List<Object> ops = new ArrayList<>();
            for (Op op : a.ops()) ops.add(HistoryJsonl.toMap(op));
            m.put("ops", ops);
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> header(TrialSpec spec) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trial", spec.id().toString());
        m.put("seed", spec.seed());
        m.put("policy", spec.id().policy().confName());
        m.put("fault", spec.fault().name());
        m.put("target", spec.target().spec());
        m.put("workload", spec.settings().workload().name());
        m.put("mix", spec.settings().workload().mix().toString());
        m.put("windowMs", spec.settings().window().toMillis());
        return m;
    }
}
