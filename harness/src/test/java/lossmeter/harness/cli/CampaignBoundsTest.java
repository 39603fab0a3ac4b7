package lossmeter.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lossmeter.harness.run.CampaignSpec;
import lossmeter.harness.run.ExitCode;
import picocli.CommandLine;

/** Every numeric flag of run has bounds, and a campaign too big for memory or a day is refused up front: exit 2, a message. */
class CampaignBoundsTest {
    @TempDir
    Path dir;

    private Cli.Result run(String... flags) {
        List<String> args = new ArrayList<>(List.of("run", "--out", dir.resolve("out").toString()));
        args.addAll(List.of(flags));
        return Cli.run(args.toArray(String[]::new));
    }

    private void refused(String message, String... flags) {
        Cli.Result r = run(flags);
        assertThat(r.code()).as("%s", r).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).as("%s", r).startsWith("lossmeter: ").contains(message).doesNotContain("Exception", "\tat ");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void hugeTrialsAreExitTwoNotAnOutOfMemoryError() {
        refused("--trials must be between 1 and 10000, not 2147483647", "--trials", "2147483647", "--duration", "1h");
        refused("the campaign has 12000 trials", "--trials", "2000", "--faults", "kill,restart", "--duration", "1ms");
    }

    @Test
    void everyNumericFlagHasBounds() {
        refused("--crashes must be between 0 and 1000", "--crashes", "1001");
        refused("--crashes must be ≥ 0", "--crashes", "-1");
        refused("--clients must be between 1 and 1024", "--clients", "100000");
        refused("--keys must be between 1 and 1000000", "--keys", "2000000");
        refused("--duration must be at most 24h", "--duration", "25h");
        refused("--window must be at most 1h", "--window", "2h");
        refused("--op-timeout must be at most 1h", "--op-timeout", "999999999999h");
        refused("--ready-timeout must be at most 1h", "--ready-timeout", "61m");
        refused("--tolerance-percent must be ≤ 1000000", "--tolerance-percent", "1e9");
        refused("--tolerance-ms must be between 0 and 86400000", "--tolerance-ms", "999999999999");
    }

    @Test
    void aCampaignPlannedForMoreThanADayNeedsAllowLong() {
        refused("pass --allow-long", "--trials", "100", "--duration", "1h");
        CommandLine cl = new CommandLine(new Main());
        CommandLine sub = cl.parseArgs("run", "--trials", "100", "--duration", "1h", "--allow-long", "--out", dir.resolve("x").toString())
                .subcommand().commandSpec().commandLine();
        CampaignSpec s = ((RunCommand) sub.getCommand()).campaign();
        assertThat(s.trialIds()).hasSize(300);
    }
}
