package lossmeter.harness.run;

import java.time.Duration;

import lossmeter.faults.node.CommandResult;
import lossmeter.faults.node.Node;
import lossmeter.faults.target.RunningTarget;
import lossmeter.harness.target.Launch;
import lossmeter.harness.target.Repairable;
import lossmeter.harness.target.Target;
import lossmeter.harness.target.TargetNotReadyException;

/**
 * Brings a target back after a fault: start, wait for PING, and when it refuses and repair was
 * asked for ({@code --repair}), run the target's repair tool once and start again. Every step goes
 * to the trial's event log; a refusal carries the reason from the target's log.
 */
final class Restart {
    /** How the restart ended: the running target (null when it did not come back), why it refused, and whether it took a repair. */
    record Outcome(RunningTarget target, long recoveryNanos, String refusal, boolean repaired) {
        boolean back() {
            return target != null;
        }
    }

    private final Target target;
    private final Node node;
    private final TrialContext ctx;
    private final Duration readyTimeout;
    private final boolean repair;

    Restart(Target target, Node node, TrialContext ctx, Duration readyTimeout, boolean repair) {
        this.target = target;
        this.node = node;
        this.ctx = ctx;
        this.readyTimeout = readyTimeout;
        this.repair = repair;
    }

    Outcome run(Launch launch) {
        long t0 = System.nanoTime();
        String refusal = startAndWait(launch);
        if (refusal == null) return new Outcome(ctx.currentTarget(), System.nanoTime() - t0, null, false);
        ctx.note("refused to start: " + refusal);
        if (!repair) return new Outcome(null, -1, refusal, false);
        if (!(target instanceof Repairable r)) {
            ctx.note("--repair: the target " + target.spec() + " has no repair tool");
            return new Outcome(null, -1, refusal, false);
        }
        CommandResult fixed = r.repair(node, launch);
        ctx.note("--repair: the repair tool exited " + fixed.exitCode() + ": " + lastLines(fixed.output(), 6));
        long t1 = System.nanoTime();
        String again = startAndWait(launch);
        if (again != null) {
            ctx.note("refused to start after the repair: " + again);
            return new Outcome(null, -1, refusal + "; after repair: " + again, true);
        }
        ctx.note("came back only after the repair");
        return new Outcome(ctx.currentTarget(), System.nanoTime() - t1, refusal, true);
    }

    /** Starts the target; null once it answers PING, else the reason it gave (it is stopped then). */
    private String startAndWait(Launch launch) {
        RunningTarget t = target.start(node, launch);
        ctx.target(t);
        ctx.note("started " + t);
        try {
            t.awaitReady(readyTimeout);
            return null;
        } catch (TargetNotReadyException e) {
            boolean exited = !t.alive();
            // Stopped by its own group id before a repair or a second start touches its files.
            t.close();
            String why = RefusalReason.from(e.logTail());
            return why + (exited ? " (exited before answering PING)" : " (no PING within " + readyTimeout.toSeconds() + "s)");
        }
    }

    private static String lastLines(String text, int n) {
        String[] lines = text.strip().split("\n");
        return String.join(" / ", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - n), lines.length));
    }
}
