package lossmeter.harness.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import lossmeter.faults.node.Shell;
import lossmeter.harness.explore.Scenario;
import lossmeter.harness.node.NodeSpec;
import lossmeter.harness.run.CampaignRun;
import lossmeter.harness.run.CampaignSpec;
import lossmeter.harness.run.Fleet;
import lossmeter.harness.target.TargetConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lossmeter replay scenario.json}: runs exactly the trial a scenario file describes. */
@Command(name = "replay", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Run exactly the trial a scenario file describes (one that explore wrote, or your own; see docs/scenario.md): "
                + "its seed, target, policy, fault, op mix, clients and keys, and per crash cycle the ops before the fault and its crash point.",
                "Exit codes: 0 pass, 1 fail (a violation or an unavailable target), 2 bad usage or a malformed scenario, "
                        + "3 harness/infrastructure failure."})
final class ReplayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "a scenario.json")
    Path file;

    @Option(names = "--out", paramLabel = "DIR", description = "results dir (default: lossmeter-results/<yyyyMMdd-HHmmss>)")
    Path out;

    @picocli.CommandLine.Mixin
    NodeOptions nodeOptions = new NodeOptions();

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CampaignSpec campaign;
        Scenario s;
        Path dir = out != null ? out : CampaignLauncher.defaultOut();
        try {
            if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no scenario file " + file);
            s = Scenario.read(file);
            CampaignLauncher.checkOut(dir);
            List<NodeSpec> nodes = nodeOptions.specs();
            if (nodes.size() != 1) throw new IllegalArgumentException("replay runs one trial: give one node, not " + nodes.size());
            List<String> words = new java.util.ArrayList<>(List.of("./lossmeter", "replay", file.toString()));
            if (!nodes.getFirst().name().equals("local")) words.addAll(nodes.getFirst().flags());
            String replay = Shell.join(words);
            campaign = s.campaign(dir, new Fleet(nodes, 1), replay);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException | TargetConfigException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        o.println("lossmeter replay: " + s.describe());
        o.flush();
        int code = CampaignRun.execute(campaign, "lossmeter replay " + file, null, o, err).code().code();
        try {
            if (Files.isDirectory(dir)) s.write(dir.resolve(Scenario.FILE));
        } catch (IOException e) {
            err.println("lossmeter: cannot copy the scenario into " + dir + ": " + e.getMessage());
        }
        return code;
    }
}
