package lossmeter.harness.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import lossmeter.harness.run.ExitCode;
import lossmeter.harness.run.Merge;
import lossmeter.harness.run.ResultsDirLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lossmeter merge OUT DIR…}: one results dir from the shards of a campaign. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {"Merge the results dirs of a campaign's shards (run --shard I/N, every I once) into one results dir:",
                "results.json, report.html and junit.xml as one unsharded run of the campaign would write them.",
                "Exit codes as for run: 0 PASS, 1 a finding, 2 shards that do not make one campaign, 3 a shard's harness failed."})
final class MergeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "OUT", description = "the merged results dir (new, or empty)")
    Path out;
    @Parameters(index = "1..*", arity = "1..*", paramLabel = "DIR", description = "the shards' results dirs")
    List<Path> dirs;

    @Override
    public Integer call() {
        String command = "lossmeter " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        try (ResultsDirLock lock = ResultsDirLock.acquire(out)) {
            return Merge.merge(out, dirs, command, spec.commandLine().getOut()).code();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        } catch (ResultsDirLock.BusyException e) {
            spec.commandLine().getErr().println("lossmeter: " + e.getMessage());
            return ExitCode.USAGE.code();
        } catch (IOException | RuntimeException e) {
            spec.commandLine().getErr().println("lossmeter: cannot merge: " + e.getMessage());
            return ExitCode.INFRA.code();
        }
    }
}
