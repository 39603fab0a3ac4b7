package lossmeter.harness.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

import lossmeter.faults.Faults;
import lossmeter.harness.node.NodeSpec;
import lossmeter.harness.node.container.ContainerNodeSpec;
import lossmeter.harness.run.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code lossmeter faults}: the fault catalogue, one line each — name, class, the node kinds it runs
 * on, what a correct server shows.
 */
@Command(name = "faults", mixinStandardHelpOptions = true,
        description = "List the faults --faults accepts: name, class, the node kinds it runs on (local, ssh, container), and the outcome"
                + " a correct server shows.")
final class FaultsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int width = Faults.catalogue().stream().mapToInt(e -> e.name().length()).max().orElse(0);
        out.printf("%-" + width + "s  %-9s  %-5s  %-3s  %-9s  %s%n", "fault", "class", "local", "ssh", "container", "a correct server shows");
        for (Faults.Entry e : Faults.catalogue()) {
            Set<Class<?>> needs = e.spec().needs();
            out.printf("%-" + width + "s  %-9s  %-5s  %-3s  %-9s  %s%n", e.name(), e.faultClass().name().toLowerCase(Locale.ROOT),
                    mark(NodeSpec.MACHINE, needs), mark(NodeSpec.MACHINE, needs), mark(ContainerNodeSpec.ABILITIES, needs), e.expected());
        }
        out.flush();
        return ExitCode.PASS.code();
    }

    private static String mark(Set<Class<?>> has, Set<Class<?>> needs) {
        return has.containsAll(needs) ? "yes" : "-";
    }
}
