package lossmeter.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check} on a run interrupted mid-trial: the history's last line was cut by the kill. It is
 * reported and the ops before it are checked; a bad line anywhere else names the file and line and
 * makes the check INDETERMINATE (exit 3).
 */
@Tag("integration")
class TornHistoryIT {
    @TempDir
    Path dir;

    @Test
    void aTornLastLineIsReportedAndTheRestChecked() throws Exception {
        Path out = dir.resolve("out");
        Cli.Result run = Cli.run("run", "--policies", "everysec", "--trials", "1", "--duration", "1s", "--crashes", "1", "--seed", "7",
                "--out", out.toString());
        assertThat(run.code()).as("%s", run).isZero();
        Path trial = out.resolve("trials/everysec-kill-1");
        Path history = trial.resolve("history.jsonl");
        byte[] whole = Files.readAllBytes(history);
        List<String> lines = Files.readAllLines(history, StandardCharsets.UTF_8);
        // Killed mid-write: half of one more line, without its newline.
        String torn = lines.get(lines.size() - 1).substring(0, lines.get(lines.size() - 1).length() / 2);
        Files.write(history, concat(whole, torn.getBytes(StandardCharsets.UTF_8)));

        Cli.Result check = Cli.run("check", out.toString());
        assertThat(check.code()).as("%s", check).isZero();
        assertThat(check.out()).contains(history + " line " + (lines.size() + 1) + " is torn", "checking the " + lines.size() + " ops before it",
                "everysec-kill-1: OK");

        List<String> damaged = new ArrayList<>(lines);
        damaged.set(3, "{\"index\":3,");
        Files.write(history, damaged, StandardCharsets.UTF_8);
        Cli.Result bad = Cli.run("check", trial.toString());
        assertThat(bad.code()).as("%s", bad).isEqualTo(3);
        assertThat(bad.err()).contains(history + ":4: not a history line").doesNotContain("\tat ");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
