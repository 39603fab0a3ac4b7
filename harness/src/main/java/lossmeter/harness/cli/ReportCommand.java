package lossmeter.harness.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import lossmeter.reports.model.ResultsFiles;
import lossmeter.harness.run.ReportStep;
import lossmeter.harness.run.ExitCode;
import lossmeter.harness.run.ResultsDirLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lossmeter report DIR}: renders report.html and junit.xml again from a results dir. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Render report.html and junit.xml from a results dir (what 'run' writes at its end).",
                "Exit codes: 0 written, 2 not a results dir or one a run is writing, 3 the report could not be written."})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "a results dir (holding results.json)")
    Path dir;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(dir.resolve(ResultsFiles.RESULTS))) {
            throw new ParameterException(spec.commandLine(), dir + " is not a results dir: it has no results.json");
        }
        // Locked like run, so a report is never rendered from a campaign still being written.
        try (ResultsDirLock lock = ResultsDirLock.acquire(dir)) {
            ReportStep.write(dir, null, spec.commandLine().getOut());
            return ExitCode.PASS.code();
        } catch (ResultsDirLock.BusyException e) {
            spec.commandLine().getErr().println("lossmeter: " + e.getMessage());
            return ExitCode.USAGE.code();
        } catch (IOException | RuntimeException e) {
            spec.commandLine().getErr().println("lossmeter: cannot write the report: " + e.getMessage());
            return ExitCode.INFRA.code();
        }
    }
}
