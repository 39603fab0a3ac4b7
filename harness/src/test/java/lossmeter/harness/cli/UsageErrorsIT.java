package lossmeter.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad usage and bad config: a clear message, exit 2, no process started and no results dir made. */
@Tag("integration")
class UsageErrorsIT {
    @TempDir
    Path dir;

    private void assertUsageError(String expectedMessage, String... flags) {
        Path out = dir.resolve("out");
        List<String> args = new ArrayList<>(List.of("run", "--out", out.toString()));
        args.addAll(List.of(flags));
        int before = Cli.started();
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertThat(r.code()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).as("%s", r).startsWith("lossmeter: ").contains(expectedMessage);
        assertThat(Cli.startedSince(before)).as("processes started by %s", List.of(flags)).isEmpty();
        assertThat(out).doesNotExist();
    }

    @Test
    void everyKindOfBadInputIsExitTwoWithNothingStarted() {
        assertUsageError("unknown target 'memcached'", "--target", "memcached");
        assertUsageError("no {port} placeholder", "--target", "cmd:./srv --dir {dir}");
        assertUsageError("not on the PATH", "--target", "cmd:no-such-server-xyz --port {port}");
        assertUsageError("does not exist or is not executable", "--target", "redis:/no/such/redis-server");
        assertUsageError("bad duration '3 sec'", "--duration", "3 sec");
        assertUsageError("unknown policy 'sometimes'", "--policies", "always,sometimes");
        assertUsageError("unknown fault 'meteor'", "--faults", "kill,meteor");
        assertUsageError("unknown workload 'zipf'", "--workload", "zipf");
        assertUsageError("bad op mix", "--mix", "incr");
        assertUsageError("--trials must be ≥ 1", "--trials", "0");
        assertUsageError("bad trial selector", "--only", "always-kill");
        assertUsageError("expected policy=duration", "--gate", "always");
        assertUsageError("--colour", "--colour", "red");
        assertUsageError("Invalid value for option '--clients'", "--clients", "many");
    }

    @Test
    void aResultsDirThatHoldsACampaignIsRefused() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("old/trials"));
        java.nio.file.Files.writeString(dir.resolve("old/results.json"), "{}");
        int before = Cli.started();
        Cli.Result r = Cli.run("run", "--out", dir.resolve("old").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("already holds campaign results (results.json)");
        assertThat(Cli.startedSince(before)).isEmpty();
    }

    @Test
    void hugeAndOutOfBoundsNumbersAreUsageErrors() {
        assertUsageError("--trials must be between 1 and 10000, not 2147483647", "--trials", "2147483647", "--duration", "1h");
        assertUsageError("pass --allow-long", "--trials", "1000", "--duration", "1h");
        assertUsageError("--clients must be between 1 and 1024", "--clients", "2000");
    }
}
