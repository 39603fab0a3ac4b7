package lossmeter.harness.node;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import lossmeter.faults.node.NodeException;

/**
 * So that a run's children die with the harness even when nothing else runs afterwards: a tiny
 * {@code sh} loop in its own session (so a Ctrl-C or a SIGKILL aimed at the harness's group does
 * not reach it) that checks once a second that the harness still is the process with its pid and
 * start time, and that the run's ledger dir still exists. When the dir is gone the run ended
 * cleanly and the loop exits; when the harness is gone it runs {@link SweepMain} over the
 * ledgers, which kills the groups, detaches the mounts and deletes the temp dirs that run left.
 * One sweep implementation serves the watchdog, {@code lossmeter clean} and the start of every run.
 *
 * <p>Why not a watchdog inside each process group: a group member would keep the group "alive"
 * after its target exits, and could not undo a mount. Why not PR_SET_PDEATHSIG: it must be set
 * between fork and exec, which a JVM cannot do, and it fires when the forking thread exits.
 */
final class Watchdog {
    /** $1 ledger dir, $2 harness pid, $3 its start time; the rest is the sweep command. Field 22 of stat is the start time. */
    private static final String SCRIPT = """
            dir=$1 pid=$2 start=$3; shift 3
            alive() { s=$(cat /proc/"$pid"/stat 2>/dev/null) || return 1; s=${s##*) }; set -- $s; [ "${20}" = "$start" ]; }
            while [ -d "$dir" ] && alive; do sleep 1; done
            [ -d "$dir" ] || exit 0
            exec "$@"
            """;

    private Watchdog() {
    }

    static void start(Path runDir, ProcStat harness, Path root) {
        List<String> cmd = new ArrayList<>(List.of("setsid", "sh", "-c", SCRIPT, "lossmeter-watchdog", runDir.toString(),
                Long.toString(harness.pid()), Long.toString(harness.startTime())));
        cmd.addAll(SweepMain.command(root));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(new File("/dev/null")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve(SweepMain.LOG).toFile()));
        pb.environment().remove(RunLedger.RUN_ENV);
        try {
            pb.start();
        } catch (IOException e) {
            throw new NodeException("cannot start the run's watchdog: " + e.getMessage(), e);
        }
    }
}
