package lossmeter.harness.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

import lossmeter.faults.node.Node;
import lossmeter.faults.node.NodeException;
import lossmeter.harness.node.LocalNode;
import lossmeter.harness.run.Campaign;
import lossmeter.harness.run.CampaignResult;
import lossmeter.harness.run.CampaignSpec;
import lossmeter.harness.run.ExitCode;
import lossmeter.harness.run.Progress;
import lossmeter.harness.run.ResultsDirLock;
import lossmeter.harness.run.ResultsJson;
import lossmeter.harness.run.SummaryTable;
import lossmeter.harness.target.TargetConfigException;
import lossmeter.reports.model.ResultsFiles;

/**
 * Runs a validated campaign from the command line: checks the target on the node before anything
 * starts, runs the trials with a progress display, prints the summary and where the results are,
 * and turns the outcome into the documented exit code.
 */
final class CampaignLauncher {
    private CampaignLauncher() {
    }

    /** {@code lossmeter-results/<yyyyMMdd-HHmmss>} under the working directory. */
    static Path defaultOut() {
        return Path.of("lossmeter-results", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /**
     * Refuses a results dir that holds a finished campaign, so two campaigns never mix. A dir with
     * trials but no results.json was left by an interrupted run: {@link #claim} reuses it.
     */
    static void checkOut(Path out) {
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
    static ResultsDirLock claim(Path out, Node node, PrintWriter err) throws ResultsDirLock.BusyException, IOException {
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
            node.delete(trials);
        }
        return lock;
    }

    static int launch(CampaignSpec spec, String command, PrintWriter out, PrintWriter err) {
        return launch(spec, command, null, out, err);
    }

    /** Runs the campaign, then writes the report (and, given a baseline, the comparison, which can fail the run). */
    static int launch(CampaignSpec spec, String command, ReportStep.Baseline baseline, PrintWriter out, PrintWriter err) {
        try (Node node = new LocalNode()) {
            try {
                CleanCommand.print(node.sweep(), err);
            } catch (RuntimeException e) {
                // Leftovers of other runs do not make this one wrong; recording its own is checked as it starts things.
                err.println("lossmeter: could not sweep the run ledger: " + e.getMessage());
            }
            try {
                spec.target().validate(node);
            } catch (TargetConfigException e) {
                err.println("lossmeter: " + e.getMessage());
                return ExitCode.USAGE.code();
            }
            try (ResultsDirLock lock = claim(spec.out(), node, err)) {
                return run(spec, command, baseline, node, out, err);
            } catch (ResultsDirLock.BusyException e) {
                err.println("lossmeter: " + e.getMessage());
                return ExitCode.USAGE.code();
            }
        } catch (IOException | NodeException e) {
            err.println("lossmeter: cannot run the campaign: " + e.getMessage());
            return ExitCode.INFRA.code();
        }
    }

    private static int run(CampaignSpec spec, String command, ReportStep.Baseline baseline, Node node, PrintWriter out, PrintWriter err)
            throws IOException {
        out.printf("lossmeter: %d trial%s against %s, seed %d; results in %s%n", spec.trialIds().size(),
                spec.trialIds().size() == 1 ? "" : "s", spec.target().spec(), spec.seed(), spec.out());
        out.flush();
        boolean terminal = System.console() != null && System.console().isTerminal();
        CampaignResult r = new Campaign(spec, node, Progress.to(err, terminal)).run(command);
        out.println();
        out.print(SummaryTable.render(r));
        out.println("results: " + spec.out().resolve(ResultsJson.FILE));
        out.flush();
        if (r.aborted() != null) err.println("lossmeter: infrastructure failure, campaign stopped: " + r.aborted());
        ExitCode code = r.outcome();
        try {
            // A regression is a finding about the target, like a violation; a harness failure outranks both.
            if (ReportStep.write(spec.out(), baseline, out)) code = code.and(ExitCode.FINDING);
        } catch (IOException | RuntimeException e) {
            err.println("lossmeter: cannot write the report: " + e.getMessage());
            code = code.and(ExitCode.INFRA);
        }
        if (code == ExitCode.INFRA) err.println("lossmeter: INDETERMINATE: the harness failed, so this run proves nothing about the target");
        return code.code();
    }
}
