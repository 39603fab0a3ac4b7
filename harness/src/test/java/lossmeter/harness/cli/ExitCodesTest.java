package lossmeter.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lossmeter.harness.run.ExitCode;
import lossmeter.harness.run.ResultsDirLock;

/**
 * The exit codes of every command that need no target (the README's table); run's 0, 1 and 3 are
 * in LauncherIT, BrokenServersIT and NeverReadyIT, check's 0 and 3 in TornHistoryIT, compare's 1
 * in ReportIT.
 */
class ExitCodesTest {
    @TempDir
    Path dir;

    @Test
    void everyCommandUsesTheOneTable() throws Exception {
        assertThat(Cli.run("faults").code()).isEqualTo(ExitCode.PASS.code());
        Cli.Result clean = Cli.run("clean");
        assertThat(clean.code()).as("%s", clean).isEqualTo(ExitCode.PASS.code());
        assertThat(clean.out()).containsAnyOf("nothing to clean", "lossmeter: clean: ");
        assertThat(Cli.run("run", "--trials", "x").code()).isEqualTo(ExitCode.USAGE.code());
        assertThat(Cli.run("check", dir.toString()).code()).isEqualTo(ExitCode.USAGE.code());
        assertThat(Cli.run("report", dir.resolve("none").toString()).code()).isEqualTo(ExitCode.USAGE.code());
        assertThat(Cli.run("compare", dir.resolve("a.json").toString(), dir.resolve("b.json").toString()).code())
                .isEqualTo(ExitCode.USAGE.code());
        assertThat(Cli.run("no-such-command").code()).isEqualTo(ExitCode.USAGE.code());
        assertThat(Cli.run("merge", dir.resolve("merged").toString(), dir.resolve("no-shard").toString()).code()).isEqualTo(ExitCode.USAGE.code());
        assertThat(Cli.run("nodes", "check").code()).as("no --nodes").isEqualTo(ExitCode.USAGE.code());
        assertThat(Cli.run("nodes", "check", "--nodes", "tcp://x").code()).isEqualTo(ExitCode.USAGE.code());
        assertThat(Cli.run("run", "--nodes", "ssh://root@127.0.0.1:1", "--ssh-key", dir.resolve("no-key").toString()).err())
                .contains("no SSH key at");
        assertThat(Cli.run("run", "--shard", "3/2").code()).isEqualTo(ExitCode.USAGE.code());
        assertThat(Cli.run("run", "--parallel", "0").code()).isEqualTo(ExitCode.USAGE.code());
        java.nio.file.Path key = dir.resolve("key");
        com.jcraft.jsch.KeyPair.genKeyPair(new com.jcraft.jsch.JSch(), com.jcraft.jsch.KeyPair.RSA, 2048).writePrivateKey(key.toString());
        // Nothing listens on port 1: after its retries the node is unreachable, an infrastructure failure.
        Cli.Result unreachable = Cli.run("nodes", "check", "--nodes", "local,ssh://root@127.0.0.1:1", "--ssh-key", key.toString());
        assertThat(unreachable.code()).as("%s", unreachable).isEqualTo(ExitCode.INFRA.code());
        assertThat(unreachable.out()).contains("local", "yes", "ssh://root@127.0.0.1:1", "unreachable");
    }

    @Test
    void aReportOfADirARunIsWritingIsRefused() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("results.json"), "{}");
        try (ResultsDirLock held = ResultsDirLock.acquire(out)) {
            Cli.Result r = Cli.run("report", out.toString());
            assertThat(r.code()).as("%s", r).isEqualTo(ExitCode.USAGE.code());
            assertThat(r.err()).contains("in use by another lossmeter run (pid " + ProcessHandle.current().pid() + ")");
        }
    }
}
