package lossmeter.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lossmeter.faults.target.Policy;
import lossmeter.harness.run.CampaignSpec;
import lossmeter.harness.run.ExitCode;
import lossmeter.harness.run.TrialId;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

class RunCommandTest {
    @TempDir
    Path dir;

    private static CampaignSpec parse(String... args) {
        CommandLine cl = new CommandLine(new Main());
        CommandLine.ParseResult pr = cl.parseArgs(args);
        CommandLine sub = pr.subcommand().commandSpec().commandLine();
        return ((RunCommand) sub.getCommand()).campaign();
    }

    @Test
    void anyCombinationOfFaultsAndRepairAreAccepted() {
        CampaignSpec s = parse("run", "--faults", "pause,truncate,corrupt,crash-during-rewrite,crash-during-bgsave,kill", "--repair",
                "--out", dir.resolve("r").toString(), "--seed", "3");
        assertThat(s.faults()).extracting(lossmeter.faults.FaultSpec::name).containsExactly("pause", "truncate", "corrupt", "crash-during-rewrite", "crash-during-bgsave", "kill");
        assertThat(s.settings().repair()).isTrue();
        assertThat(s.reproduceCommand(new TrialId(Policy.NO, "truncate", 1))).contains(" --repair ");
        assertThatThrownBy(() -> parse("run", "--faults", "kill,meteor", "--out", dir.resolve("x").toString()))
                .isInstanceOf(ParameterException.class).hasMessageContaining("unknown fault 'meteor'");
    }

    @Test
    void theFaultsCommandListsTheCatalogueOneLineEach() {
        Cli.Result r = Cli.run("faults");
        assertThat(r.code()).as(r.toString()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(lossmeter.faults.Faults.NAMES.size() + 1);
        assertThat(lines.getFirst()).startsWith("fault").contains("local", "ssh", "container");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("pause").contains("liveness", "info ops"));
        // The node kinds each fault runs on: the container's own faults nowhere else.
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("oom-kill +crash +- +- +yes .*"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("power-loss +crash +yes +yes +yes .*"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("corrupt").contains("media", "never silent"));
        assertThat(Cli.run("run", "--faults", "meteor").code()).isEqualTo(ExitCode.USAGE.code());
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        CampaignSpec s = parse("run", "--out", dir.resolve("r").toString());
        assertThat(s.target().spec()).isEqualTo("bundled");
        assertThat(s.policies()).containsExactly(Policy.ALWAYS, Policy.EVERYSEC, Policy.NO);
        assertThat(s.faults()).extracting(lossmeter.faults.FaultSpec::name).containsExactly("kill");
        assertThat(s.settings().workload().name()).isEqualTo("mixed");
        assertThat(s.settings().workload().keys()).isEqualTo(8);
        assertThat(s.trials()).isEqualTo(5);
        assertThat(s.settings().duration()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.settings().crashes()).isEqualTo(2);
        assertThat(s.settings().clients()).isEqualTo(8);
        assertThat(s.settings().window()).isEqualTo(Duration.ofMillis(2000));
        assertThat(s.settings().opTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.gate().toString()).isEqualTo("always=0ms,everysec=2s");
        assertThat(s.only()).isNull();
        assertThat(s.trialIds()).hasSize(15);
    }

    @Test
    void readsEveryFlag() {
        CampaignSpec s = parse("run", "--target", "cmd:srv --port {port}", "--policies", "no, always", "--faults", "kill,restart,kill",
                "--workload", "list", "--trials", "2", "--duration", "500ms", "--crashes", "0", "--clients", "3", "--keys", "4",
                "--mix", "push=1,read=1", "--seed", "-9", "--out", dir.resolve("r").toString(), "--window", "1s",
                "--gate", "no=5s", "--op-timeout", "250ms", "--ready-timeout", "2m");
        assertThat(s.target().spec()).isEqualTo("cmd:srv --port {port}");
        assertThat(s.policies()).containsExactly(Policy.NO, Policy.ALWAYS);
        assertThat(s.faults()).extracting(lossmeter.faults.FaultSpec::name).containsExactly("kill", "restart");
        assertThat(s.settings().workload().mix().toString()).isEqualTo("incr=0,push=1,txn=0,read=1,flush=0");
        assertThat(s.settings().duration()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.settings().readyTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.seed()).isEqualTo(-9);
        assertThat(s.gate().toString()).isEqualTo("no=5s");
        assertThat(s.trialIds()).hasSize(8);
    }

    @Test
    void onlyRunsTheSelectedTrialWhateverTheOtherFlagsSay() {
        CampaignSpec s = parse("run", "--policies", "always", "--only", "no-restart-4", "--seed", "1", "--out", dir.resolve("r").toString());
        assertThat(s.trialIds()).containsExactly(new TrialId(Policy.NO, "restart", 4));
    }

    @Test
    void theReproduceCommandParsesBackToTheSameTrial() {
        CampaignSpec s = parse("run", "--target", "cmd:my srv --port {port}", "--duration", "1500ms", "--seed", "77", "--mix",
                "incr=1", "--out", dir.resolve("r").toString());
        String cmd = s.reproduceCommand(new TrialId(Policy.EVERYSEC, "kill", 2));
        assertThat(cmd).isEqualTo("./lossmeter run --target 'cmd:my srv --port {port}' --workload mixed --keys 8 "
                + "--mix incr=1,push=0,txn=0,read=0,flush=0 --clients 8 --duration 1500ms --crashes 2 --window 2s --seed 77 --only everysec-kill-2");
    }

    @Test
    void badValuesAreUsageErrors() {
        String out = dir.resolve("r").toString();
        for (List<String> bad : List.of(List.of("--policies", "sometimes"), List.of("--faults", "meteor"), List.of("--workload", "zipf"),
                List.of("--mix", "incr=x"), List.of("--trials", "0"), List.of("--clients", "0"), List.of("--crashes", "-1"),
                List.of("--keys", "0"), List.of("--gate", "always"), List.of("--only", "always-kill"), List.of("--only", "always-meteor-1"),
                List.of("--target", "nope"), List.of("--policies", ","))) {
            String[] args = concat(List.of("run", "--out", out), bad);
            assertThatThrownBy(() -> parse(args)).as("%s", bad).isInstanceOf(ParameterException.class);
        }
    }

    private static String[] concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toArray(String[]::new);
    }

    @Test
    void aContainerFaultOnAnotherNodeKindIsRefusedBeforeAnythingStarts() {
        Cli.Result r = Cli.run("run", "--faults", "kill,oom-kill", "--out", dir.resolve("refused").toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("oom-kill").contains("local nodes").contains("--nodes container");
        assertThat(dir.resolve("refused")).doesNotExist();
        Cli.Result image = Cli.run("run", "--image", "x:1", "--out", dir.resolve("refused").toString());
        assertThat(image.code()).as(image.toString()).isEqualTo(ExitCode.USAGE.code());
        assertThat(image.err()).contains("--image is for container nodes");
    }
}
