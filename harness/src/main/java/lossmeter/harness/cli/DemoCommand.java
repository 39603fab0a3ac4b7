package lossmeter.harness.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

import lossmeter.faults.Faults;
import lossmeter.faults.target.Policy;
import lossmeter.harness.client.JedisKvClient;
import lossmeter.harness.run.CampaignSpec;
import lossmeter.harness.run.LossGate;
import lossmeter.harness.run.TrialSettings;
import lossmeter.harness.target.Targets;
import lossmeter.workloads.generator.Workloads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lossmeter demo}: a short campaign against the bundled server over the three policies
 * (kill, 2 trials of 2 crashes each, 3 s cycles: about a minute), summary printed, results path
 * shown.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"A one-minute campaign against the bundled server: every fsync policy, the kill fault, "
                + "2 trials of 2 crashes each. Same output and exit codes as 'run'."})
final class DemoCommand implements Callable<Integer> {
    static final Duration WINDOW = Duration.ofSeconds(2);

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", description = "results dir (default: lossmeter-results/<yyyyMMdd-HHmmss>)")
    Path out;

    @Option(names = "--seed", description = "campaign seed (default: random, printed)")
    Long seed;

    @Override
    public Integer call() {
        Path dir = out != null ? out : CampaignLauncher.defaultOut();
        try {
            CampaignLauncher.checkOut(dir);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        TrialSettings settings = new TrialSettings(Workloads.mixed(8), Duration.ofSeconds(3), 2, 8, WINDOW,
                JedisKvClient.DEFAULT_OP_TIMEOUT, TrialSettings.DEFAULT_READY_TIMEOUT);
        long s = seed != null ? seed : ThreadLocalRandom.current().nextLong();
        CampaignSpec campaign = new CampaignSpec(Targets.bundled(), List.of(Policy.values()), List.of(Faults.kill()), 2, settings, s, dir,
                LossGate.defaults(WINDOW), null);
        PrintWriter o = spec.commandLine().getOut();
        int code = CampaignLauncher.launch(campaign, "lossmeter demo --seed " + s + " --out " + dir, o, spec.commandLine().getErr());
        o.println("next: ./lossmeter run --faults kill,restart --trials 3   (or --target redis, --target cmd:'…')");
        o.flush();
        return code;
    }
}
