package lossmeter.harness.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import lossmeter.harness.run.ReportStep;
import lossmeter.harness.run.ExitCode;
import lossmeter.reports.compare.Compare;
import lossmeter.reports.model.Comparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lossmeter compare BASE NEW}: the regression gate between two campaigns' results.json. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare a campaign with a baseline: a cell regresses when it gains an anomaly kind (or "
                + "unavailability) or its max data-loss window exceeds base × (1 + percent/100) + ms.",
                "Exit codes: 0 no regression, 1 a regression, 2 bad usage or an unreadable file."})
final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BASE", description = "the baseline results.json (or its results dir)")
    Path base;

    @Parameters(index = "1", paramLabel = "NEW", description = "the new results.json (or its results dir)")
    Path current;

    @Option(names = "--tolerance-percent", paramLabel = "P", defaultValue = "20",
            description = "how much a cell's max loss window may grow, in percent of the baseline (default: ${DEFAULT-VALUE})")
    double percent;

    @Option(names = "--tolerance-ms", paramLabel = "MS", defaultValue = "100",
            description = "and in absolute ms on top (default: ${DEFAULT-VALUE})")
    long ms;

    @Override
    public Integer call() {
        try {
            ReportStep.checkPercent(percent);
            ReportStep.checkMs(ms);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        for (Path p : new Path[] {base, current}) {
            if (!Files.exists(p)) throw new ParameterException(spec.commandLine(), p + " does not exist");
        }
        Comparison c;
        try {
            c = Compare.files(base, current, percent, ms);
        } catch (IOException e) {
            spec.commandLine().getErr().println("lossmeter: " + e.getMessage());
            return ExitCode.USAGE.code();
        }
        ReportStep.printComparison(c, spec.commandLine().getOut());
        spec.commandLine().getOut().flush();
        return (c.regressed() ? ExitCode.FINDING : ExitCode.PASS).code();
    }
}
