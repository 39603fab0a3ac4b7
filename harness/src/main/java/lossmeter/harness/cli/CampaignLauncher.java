package lossmeter.harness.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

import lossmeter.harness.run.CampaignRun;
import lossmeter.harness.run.CampaignSpec;
import lossmeter.harness.run.ReportStep;

/**
 * Runs a validated campaign from the command line through {@link CampaignRun}, the path the Java
 * API takes too, and turns its outcome into the documented exit code.
 */
final class CampaignLauncher {
    private CampaignLauncher() {
    }

    /** {@code lossmeter-results/<yyyyMMdd-HHmmss>} under the working directory. */
    static Path defaultOut() {
        return Path.of("lossmeter-results", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    static void checkOut(Path out) {
        CampaignRun.checkOut(out);
    }

    static int launch(CampaignSpec spec, String command, PrintWriter out, PrintWriter err) {
        return launch(spec, command, null, out, err);
    }

    static int launch(CampaignSpec spec, String command, ReportStep.Baseline baseline, PrintWriter out, PrintWriter err) {
        return CampaignRun.execute(spec, command, baseline, out, err).code().code();
    }
}
