package lossmeter.harness.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import lossmeter.faults.node.Node;
import lossmeter.faults.node.NodeException;
import lossmeter.faults.node.NodeUnreachableException;
import lossmeter.harness.node.FileTrees;
import lossmeter.harness.node.HostKeyException;
import lossmeter.harness.node.NodeSpec;
import lossmeter.harness.target.TargetConfigException;
import lossmeter.reports.model.ResultsFiles;

/**
 * A whole campaign on its fleet, the one path the CLI ({@code run}, {@code demo}) and the Java
 * API take: opens its nodes, sweeps what killed runs left on each, checks the target on each before anything starts, locks the
 * results dir, runs the trials, prints the summary, writes the end of the run ({@link ReportStep})
 * and settles the exit code.
 */
public final class CampaignRun {
    /**
     * How a campaign ended: the documented exit code, the result when the campaign ran (null when
     * it was refused before anything started), and the reason when it was refused or failed.
     */
    public record Outcome(ExitCode code, CampaignResult result, boolean regressed, String problem) {
    }

    private CampaignRun() {
    }

    /** ", on 2 nodes, 2 at a time per node" — nothing for one local trial at a time. */
    static String where(Fleet fleet) {
        if (fleet.isLocal() && fleet.parallel() == 1) return "";
        String nodes = fleet.isLocal() ? "" : ", on " + fleet.nodes().size() + " node" + (fleet.nodes().size() == 1 ? "" : "s");
        return nodes + (fleet.parallel() == 1 ? "" : ", " + fleet.parallel() + " at a time" + (fleet.isLocal() ? "" : " per node"));
    }

    /**
     * Refuses a results dir that holds a finished campaign, so two campaigns never mix. A dir with
     * trials but no results.json was left by an interrupted run: {@link #claim} reuses it.
     */
    public static void checkOut(Path out) {
        if (Files.isRegularFile(out)) throw new IllegalArgumentException("--out " + out + " is a file, not a directory");
        if (Files.exists(out.resolve(ResultsJson.FILE))) {
            throw new IllegalArgumentException("--out " + out + " already holds campaign results (" + ResultsJson.FILE
                    + "); choose another directory");
        }
    }

    /**
     * Locks the results dir for the run, then checks it again (another run may have finished in it
     * meanwhile) and clears what an interrupted run left, saying so.
     */
    static ResultsDirLock claim(Path out, PrintWriter err) throws ResultsDirLock.BusyException, IOException {
        ResultsDirLock lock = ResultsDirLock.acquire(out);
        try {
            checkOut(out);
        } catch (IllegalArgumentException e) {
            lock.close();
            throw new ResultsDirLock.BusyException(e.getMessage());
        }
        Path trials = out.resolve(ResultsFiles.TRIALS);
        if (Files.exists(trials)) {
            err.println("lossmeter: reusing " + out + ": an interrupted run" + (lock.previousHolder() == null ? "" : " (" + lock.previousHolder()
                    + ", gone)") + " left trials but no " + ResultsJson.FILE + "; its trials are removed");
            FileTrees.delete(trials);
        }
        return lock;
    }

    /** Runs the campaign, then writes the report (and, given a baseline, the comparison, which can fail the run). */
    public static Outcome execute(CampaignSpec spec, String command, ReportStep.Baseline baseline, PrintWriter out, PrintWriter err) {
        List<Node> open = new ArrayList<>();
        List<Campaign.Slot> slots = new ArrayList<>();
        try {
            java.util.Set<List<String>> probed = new java.util.HashSet<>();
            for (NodeSpec n : spec.fleet().nodes()) {
                n.prepare(err);
                if (n.perTrial()) {
                    // Each trial gets a node of its own; one is opened now to check the target can run
                    // there, once for slots that open the same kind of node (the same flags).
                    if (probed.add(n.flags())) {
                        try (Node probe = n.open()) {
                            prepare(probe, spec, err);
                        }
                    }
                    slots.add(Campaign.Slot.perTrial(n));
                    continue;
                }
                Node node = n.open();
                open.add(node);
                prepare(node, spec, err);
                slots.add(Campaign.Slot.of(node));
            }
            try (ResultsDirLock lock = claim(spec.out(), err)) {
                return run(spec, command, baseline, slots, out, err);
            } catch (ResultsDirLock.BusyException e) {
                err.println("lossmeter: " + e.getMessage());
                return new Outcome(ExitCode.USAGE, null, false, e.getMessage());
            }
        } catch (TargetConfigException | HostKeyException e) {
            err.println("lossmeter: " + e.getMessage());
            return new Outcome(ExitCode.USAGE, null, false, e.getMessage());
        } catch (IOException | NodeException e) {
            err.println("lossmeter: cannot run the campaign: " + e.getMessage());
            return new Outcome(ExitCode.INFRA, null, false, "cannot run the campaign: " + e.getMessage());
        } finally {
            closeAll(open, err);
            for (NodeSpec n : spec.fleet().nodes()) {
                try {
                    n.release();
                } catch (RuntimeException e) {
                    err.println("lossmeter: cannot clean up after node " + n.name() + ": " + e.getMessage());
                }
            }
        }
    }

    /** Sweeps what killed runs left on the node, then checks the target can run there. */
    private static void prepare(Node node, CampaignSpec spec, PrintWriter err) {
        prepare(node, spec.target(), err);
    }

    /** Sweeps what killed runs left on the node, then checks the target can run there (also for scenario runs). */
    public static void prepare(Node node, lossmeter.harness.target.Target target, PrintWriter err) {
        try {
            for (String line : node.sweep()) err.println("lossmeter: clean" + (node.name().equals("local") ? "" : " " + node.name()) + ": " + line);
            err.flush();
        } catch (NodeUnreachableException e) {
            throw e;
        } catch (RuntimeException e) {
            // Leftovers of other runs do not make this one wrong; recording its own is checked as it starts things.
            err.println("lossmeter: could not sweep the run ledger of node " + node.name() + ": " + e.getMessage());
        }
        target.validate(node);
    }

    private static void closeAll(List<Node> nodes, PrintWriter err) {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            try {
                nodes.get(i).close();
            } catch (RuntimeException e) {
                err.println("lossmeter: cannot clean up node " + nodes.get(i).name() + ": " + e.getMessage());
            }
        }
        err.flush();
    }

    private static Outcome run(CampaignSpec spec, String command, ReportStep.Baseline baseline, List<Campaign.Slot> nodes, PrintWriter out,
                               PrintWriter err) throws IOException {
        out.printf("lossmeter: %d trial%s against %s, seed %d%s%s; results in %s%n", spec.trialIds().size(),
                spec.trialIds().size() == 1 ? "" : "s", spec.target().spec(), spec.seed(),
                spec.shard().isAll() ? "" : ", shard " + spec.shard(), where(spec.fleet()), spec.out());
        out.flush();
        boolean terminal = System.console() != null && System.console().isTerminal();
        CampaignResult r = new Campaign(spec, nodes, Progress.to(err, terminal)).run(command);
        out.println();
        out.print(SummaryTable.render(r));
        out.println("results: " + spec.out().resolve(ResultsJson.FILE));
        out.flush();
        String problem = null;
        if (r.aborted() != null) {
            problem = "infrastructure failure, campaign stopped: " + r.aborted();
            err.println("lossmeter: " + problem);
        }
        ExitCode code = r.outcome();
        boolean regressed = false;
        try {
            // A regression is a finding about the target, like a violation; a harness failure outranks both.
            regressed = ReportStep.write(spec.out(), baseline, out);
            if (regressed) code = code.and(ExitCode.FINDING);
        } catch (IOException | RuntimeException e) {
            problem = "cannot write the report: " + e.getMessage();
            err.println("lossmeter: " + problem);
            code = code.and(ExitCode.INFRA);
        }
        if (code == ExitCode.INFRA) err.println("lossmeter: INDETERMINATE: the harness failed, so this run proves nothing about the target");
        err.flush();
        return new Outcome(code, r, regressed, problem);
    }
}
