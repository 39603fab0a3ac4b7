package lossmeter.harness.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

import lossmeter.faults.CrashPoint;
import lossmeter.faults.Faults;
import lossmeter.faults.node.NodeException;
import lossmeter.faults.target.Policy;
import lossmeter.harness.explore.Explorer;
import lossmeter.harness.explore.ScenarioDraw;
import lossmeter.harness.explore.TrialScenarios;
import lossmeter.harness.node.HostKeyException;
import lossmeter.harness.node.NodeSpec;
import lossmeter.harness.run.ExitCode;
import lossmeter.harness.target.TargetConfigException;
import lossmeter.harness.target.Targets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lossmeter explore}: random scenarios until one fails or the budget is spent, then shrinks the failure. */
@Command(name = "explore", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Draw scenarios from a seed (policy, fault, op mix, clients, keys, crash cycles, ops before each crash, "
                + "crash points, directives) and run them until one fails or the budget is spent. A failure is shrunk to the "
                + "smallest scenario that still fails with the same anomaly kind, and handed back as a scenario.json that "
                + "'lossmeter replay' runs.",
                "Exit codes: 0 no failure within the budget, 1 a failure (shrunk), 2 bad usage, 3 harness/infrastructure failure."})
final class ExploreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--target", paramLabel = "SPEC", defaultValue = "bundled",
            description = "bundled | redis[:PATH] | cmd:TEMPLATE with {port}, {dir}, {fsync} (default: ${DEFAULT-VALUE})")
    String target;

    @Option(names = "--budget", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
            description = "how long to search before giving up (shrinking comes on top) (default: 10m)")
    Duration budget;

    @Option(names = "--seed", description = "the seed scenarios are drawn from (default: random, printed)")
    Long seed;

    @Option(names = "--policies", paramLabel = "LIST", defaultValue = "always,everysec,no",
            description = "fsync policies to draw from (default: ${DEFAULT-VALUE})")
    String policies;

    @Option(names = "--faults", paramLabel = "LIST", defaultValue = "kill,power-loss,torn-write",
            description = "faults to draw from; 'lossmeter faults' lists them (default: ${DEFAULT-VALUE})")
    String faults;

    @Option(names = "--shrink-budget", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "how long shrinking may take; the smallest failing scenario found by then is the result (default: 5m)")
    Duration shrinkBudget;

    @Option(names = "--fails-in", paramLabel = "K/N", defaultValue = "2/3",
            description = "a shrink candidate counts as failing when it fails in K of N runs (default: ${DEFAULT-VALUE})")
    String failsIn;

    @Option(names = "--replays", paramLabel = "N", defaultValue = "3",
            description = "runs of the shrunk scenario that measure its replay rate (default: ${DEFAULT-VALUE})")
    int replays;

    @Option(names = "--crash-point", paramLabel = "MODE", defaultValue = "io",
            description = "io: lossyfs faults strike at an I/O operation of the target; time: right after the cycle's ops (default: ${DEFAULT-VALUE})")
    String crashPoint;

    @Option(names = "--window", paramLabel = "DURATION", defaultValue = "2000ms", converter = DurationConverter.class,
            description = "W, the loss window everysec may show (default: 2000ms)")
    Duration window;

    @Option(names = "--out", paramLabel = "DIR", description = "results dir (default: lossmeter-results/<yyyyMMdd-HHmmss>)")
    Path out;

    @picocli.CommandLine.Mixin
    NodeOptions nodeOptions = new NodeOptions();

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ScenarioDraw draw;
        Explorer.Options options;
        NodeSpec node;
        try {
            Targets.parse(target);
            List<Policy> ps = RunCommand.list(policies).stream().map(Policy::parse).toList();
            List<String> fs = RunCommand.list(faults).stream().map(f -> Faults.byName(f).name()).toList();
            if (budget.isZero()) throw new IllegalArgumentException("--budget must be positive");
            if (shrinkBudget.isZero()) throw new IllegalArgumentException("--shrink-budget must be positive");
            String[] kn = failsIn.split("/");
            int k;
            int n;
            try {
                if (kn.length != 2) throw new NumberFormatException();
                k = Integer.parseInt(kn[0].trim());
                n = Integer.parseInt(kn[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--fails-in must be K/N, e.g. 2/3, not '" + failsIn + "'");
            }
            if (k < 1 || n < k || n > 20) throw new IllegalArgumentException("--fails-in K/N needs 1 ≤ K ≤ N ≤ 20, not " + failsIn);
            if (replays < 1 || replays > 100) throw new IllegalArgumentException("--replays must be 1..100, not " + replays);
            List<NodeSpec> nodes = nodeOptions.specs();
            if (nodes.size() != 1) throw new IllegalArgumentException("explore runs on one node (or container slot) at a time, not " + nodes.size());
            node = nodes.getFirst();
            Path dir = out != null ? out : CampaignLauncher.defaultOut();
            if (Files.exists(dir.resolve(Explorer.SUMMARY))) {
                throw new IllegalArgumentException("--out " + dir + " already holds an explore run (" + Explorer.SUMMARY + "); choose another directory");
            }
            CampaignLauncher.checkOut(dir);
            long s = seed != null ? seed : ThreadLocalRandom.current().nextLong();
            draw = new ScenarioDraw(s, target, ps, fs, CrashPoint.Mode.parse(crashPoint), window);
            options = new Explorer.Options(budget, shrinkBudget, k, n, replays, dir, s);
        } catch (IllegalArgumentException | TargetConfigException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        try (TrialScenarios runner = new TrialScenarios(node, err)) {
            return new Explorer(draw, runner, options, System::nanoTime, o).run().code();
        } catch (TargetConfigException | HostKeyException e) {
            err.println("lossmeter: " + e.getMessage());
            return ExitCode.USAGE.code();
        } catch (IllegalArgumentException e) {
            err.println("lossmeter: " + e.getMessage());
            return ExitCode.USAGE.code();
        } catch (IOException | NodeException | IllegalStateException e) {
            err.println("lossmeter: explore failed: " + e.getMessage());
            return ExitCode.INFRA.code();
        }
    }
}
