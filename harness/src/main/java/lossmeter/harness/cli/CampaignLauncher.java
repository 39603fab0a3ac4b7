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
import lossmeter.harness.run.Progress;
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

    /** Refuses a results dir that already holds a campaign, so two campaigns never mix. */
    static void checkOut(Path out) {
        if (Files.isRegularFile(out)) throw new IllegalArgumentException("--out " + out + " is a file, not a directory");
        if (Files.exists(out.resolve(ResultsJson.FILE)) || Files.exists(out.resolve(ResultsFiles.TRIALS))) {
            throw new IllegalArgumentException("--out " + out + " already holds campaign results; choose another directory");
        }
    }

    static int launch(CampaignSpec spec, String command, PrintWriter out, PrintWriter err) {
        return launch(spec, command, null, out, err);
    }

    /** Runs the campaign, then writes the report (and, given a baseline, the comparison, which can fail the run). */
    static int launch(CampaignSpec spec, String command, ReportStep.Baseline baseline, PrintWriter out, PrintWriter err) {
        try (Node node = new LocalNode()) {
            try {
                spec.target().validate(node);
            } catch (TargetConfigException e) {
                err.println("lossmeter: " + e.getMessage());
                return Main.EXIT_USAGE;
            }
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
            int code = r.exitCode();
            try {
                // A regression is a finding about the target, like a violation: it outranks an infrastructure failure.
                if (ReportStep.write(spec.out(), baseline, out)) code = Main.EXIT_FAIL;
            } catch (IOException | RuntimeException e) {
                err.println("lossmeter: cannot write the report: " + e.getMessage());
                if (code == Main.EXIT_PASS) code = Main.EXIT_INFRA;
            }
            return code;
        } catch (IOException | NodeException e) {
            err.println("lossmeter: cannot run the campaign: " + e.getMessage());
            return Main.EXIT_INFRA;
        }
    }
}
