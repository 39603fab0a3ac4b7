package lossmeter.harness.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import lossmeter.harness.node.LocalNode;
import lossmeter.harness.node.container.Containers;
import lossmeter.harness.run.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code lossmeter clean}: removes what runs killed before their cleanups ran left on this machine
 * (process groups, lossyfs mounts, temp dirs), from the node's run ledger, and the containers and
 * volumes of container runs whose harness is gone (when a Docker daemon answers). Every {@code run}
 * does the same at its start (the containers' part when it runs on container nodes); live runs are
 * never touched.
 */
@Command(name = "clean", mixinStandardHelpOptions = true,
        description = {"Remove what killed runs left on this machine (their process groups, lossyfs mounts and temp dirs), "
                + "as recorded in the run ledger, and their containers and volumes (by label, when a Docker daemon answers); "
                + "live runs are never touched. 'run' does this at its start too.",
                "Exit codes: 0 done (also when there was nothing), 3 something could not be removed."})
final class CleanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<String> removed;
        Path ledger;
        try (LocalNode node = new LocalNode()) {
            removed = new java.util.ArrayList<>(node.sweep());
            ledger = node.ledgerRoot();
        }
        try {
            removed.addAll(Containers.sweepIfDocker());
        } catch (RuntimeException e) {
            removed.add("could not sweep the containers of killed runs: " + e.getMessage());
        }
        print(removed, out);
        if (removed.isEmpty()) out.println("lossmeter: nothing to clean (run ledger " + ledger + ")");
        out.flush();
        return (removed.stream().anyMatch(l -> l.startsWith("could not")) ? ExitCode.INFRA : ExitCode.PASS).code();
    }

    /** One line per thing a sweep removed. */
    static void print(List<String> removed, PrintWriter to) {
        for (String line : removed) to.println("lossmeter: clean: " + line);
        to.flush();
    }
}
