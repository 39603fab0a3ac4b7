package lossmeter.harness.explore;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import lossmeter.faults.Faults;
import lossmeter.faults.node.Node;
import lossmeter.faults.node.Shell;
import lossmeter.harness.node.NodeSpec;
import lossmeter.harness.run.Campaign;
import lossmeter.harness.run.CampaignResult;
import lossmeter.harness.run.CampaignRun;
import lossmeter.harness.run.CampaignSpec;
import lossmeter.harness.run.FaultRecord;
import lossmeter.harness.run.Fleet;
import lossmeter.harness.run.HistoryJsonl;
import lossmeter.harness.run.LossGate;
import lossmeter.harness.run.Progress;
import lossmeter.harness.run.Shard;
import lossmeter.harness.run.TrialId;
import lossmeter.harness.run.TrialResult;
import lossmeter.harness.target.Target;
import lossmeter.harness.target.Targets;
import lossmeter.reports.model.ResultsFiles;
import lossmeter.workloads.check.Anomaly;
import lossmeter.workloads.check.CrashVerdict;
import lossmeter.workloads.check.Verdict;
import lossmeter.workloads.history.History;
import lossmeter.workloads.history.Op;

/**
 * Runs scenarios as real trials on one node (this machine, an SSH node, or a fresh container per
 * trial): each a one-trial campaign in its own results dir ({@code results.json}, the trial's
 * files, and the resolved {@code scenario.json}). The node is opened and swept once; each target
 * is checked on it once.
 */
public final class TrialScenarios implements ScenarioRunner, AutoCloseable {
    /** Kind of failure for a target that did not come back after a crash. */
    public static final String UNAVAILABLE = "UNAVAILABLE";
    private static final Progress SILENT = new Progress() {
        @Override
        public void started(TrialId id, int index, int total, String node) {
        }

        @Override
        public void finished(TrialResult result, int done, int total) {
        }

        @Override
        public void nodeLost(String node, String why) {
        }
    };

    /** Trials up to this many ops are told whole in the outcome. */
    static final int STORY_OPS = 200;
    private final NodeSpec nodeSpec;
    private final PrintWriter err;
    private final Node node;
    private final Set<String> checked = new HashSet<>();

    public TrialScenarios(NodeSpec nodeSpec, PrintWriter err) throws IOException {
        this.nodeSpec = nodeSpec;
        this.err = err;
        nodeSpec.prepare(err);
        this.node = nodeSpec.perTrial() ? null : nodeSpec.open();
    }

    /** The command that replays the scenario in {@code file} on this runner's node. */
    public String replayCommand(Path file) {
        List<String> args = new ArrayList<>(List.of("./lossmeter", "replay", file.toString()));
        if (!nodeSpec.name().equals("local")) args.addAll(nodeSpec.flags());
        return Shell.join(args);
    }

    /** Checks that the scenario's target and fault can run here (once per target), before its first run. */
    public void check(Scenario s) {
        Target t = s.campaign(Path.of("."), new Fleet(List.of(nodeSpec), 1), null).target();
        if (!checked.add(s.target())) return;
        if (node != null) {
            CampaignRun.prepare(node, t, err);
        } else {
            try (Node probe = nodeSpec.open()) {
                CampaignRun.prepare(probe, t, err);
            }
        }
    }

    @Override
    public Outcome run(Scenario s, Path dir) throws IOException {
        check(s);
        Files.createDirectories(dir);
        Path file = dir.resolve(Scenario.FILE).toAbsolutePath();
        String replay = replayCommand(file);
        s.write(file);
        CampaignSpec spec = s.campaign(dir, new Fleet(List.of(nodeSpec), 1), replay);
        Campaign.Slot slot = node != null ? Campaign.Slot.of(node) : Campaign.Slot.perTrial(nodeSpec);
        CampaignResult r = new Campaign(spec, List.of(slot), SILENT).run(replay.substring(2));
        if (r.trials().isEmpty()) return new Outcome(s, Set.of(), r.aborted() == null ? "the trial did not run" : r.aborted(), 0, 0, 0, List.of());
        TrialResult t = r.trials().getFirst();
        Scenario resolved = resolve(s, t.faultRecords());
        resolved.write(file);
        Path trialDir = dir.resolve(ResultsFiles.TRIALS).resolve(t.id().toString());
        History h = readHistory(trialDir.resolve(HistoryJsonl.FILE));
        String error = t.verdict() == Verdict.INDETERMINATE || t.error() != null ? (t.error() == null ? "INDETERMINATE" : t.error()) : null;
        List<String> story = h != null && h.pairs().size() <= STORY_OPS ? MinimalHistory.lines(h, t.check(), t.crashes(), t.faultRecords()) : List.of();
        return new Outcome(resolved, failures(t), error, h == null ? t.ops() / 2 : h.pairs().size(), h == null ? 0 : keysTouched(h), failingCycle(t, s.cycles().size()), story);
    }

    /** The first planned cycle whose crash did not pass; 0 when none did (or only the final restart). */
    static int failingCycle(TrialResult t, int cycles) {
        if (t.check() == null) return 0;
        for (CrashVerdict c : t.check().crashes()) {
            if (!c.passes() && c.cycle() <= cycles) return c.cycle();
        }
        return 0;
    }

    /** The anomaly kinds of every crash that did not pass, and UNAVAILABLE for a target that did not come back. */
    static Set<String> failures(TrialResult t) {
        Set<String> kinds = new LinkedHashSet<>();
        if (t.check() == null) return kinds;
        for (CrashVerdict c : t.check().crashes()) {
            if (c.passes()) continue;
            if (c.verdict() == Verdict.UNAVAILABLE) kinds.add(UNAVAILABLE);
            for (Anomaly a : c.anomalies()) kinds.add(a.kind().name());
        }
        for (Anomaly a : t.check().liveReadAnomalies()) kinds.add(a.kind().name());
        return kinds;
    }

    /** The scenario with the crash points its faults drew, cycle by cycle (a time crash stays unplanned). */
    static Scenario resolve(Scenario s, List<FaultRecord> records) {
        List<Scenario.Cycle> cycles = new ArrayList<>();
        List<FaultRecord> own = records.stream().filter(r -> !r.finalRestart()).toList();
        for (int i = 0; i < s.cycles().size(); i++) {
            Scenario.Cycle c = s.cycles().get(i);
            if (c.point() == null && i < own.size() && own.get(i).point() != null
                    && own.get(i).point().mode() == lossmeter.faults.CrashPoint.Mode.IO) {
                var p = own.get(i).point();
                c = new Scenario.Cycle(c.ops(), lossmeter.faults.CrashPoint.planned(p.phase(), p.op(), p.n(), p.glob()));
            }
            cycles.add(c);
        }
        return s.withCycles(cycles);
    }

    private static History readHistory(Path file) {
        try {
            return Files.exists(file) ? HistoryJsonl.readTolerant(file).history() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The distinct keys the history's ops touched, transactions' steps included. */
    static int keysTouched(History h) {
        Set<String> keys = new HashSet<>();
        for (Op op : h.ops()) {
            if (op.key() != null) keys.add(op.key());
            if (op.value() instanceof List<?> steps) {
                for (Object step : steps) {
                    if (step instanceof List<?> l && l.size() > 1 && l.get(1) instanceof String k) keys.add(k);
                }
            }
        }
        return keys.size();
    }

    @Override
    public void close() {
        try {
            if (node != null) node.close();
        } finally {
            nodeSpec.release();
        }
    }
}
