package lossmeter.harness.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

import lossmeter.faults.Faults;
import lossmeter.harness.run.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lossmeter faults}: the fault catalogue, one line each — name, class, what a correct server shows. */
@Command(name = "faults", mixinStandardHelpOptions = true,
        description = "List the faults --faults accepts: name, class, and the outcome a correct server shows.")
final class FaultsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int width = Faults.catalogue().stream().mapToInt(e -> e.name().length()).max().orElse(0);
        for (Faults.Entry e : Faults.catalogue()) {
            out.printf("%-" + width + "s  %-9s  %s%n", e.name(), e.faultClass().name().toLowerCase(Locale.ROOT), e.expected());
        }
        out.flush();
        return ExitCode.PASS.code();
    }
}
