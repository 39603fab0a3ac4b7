package lossmeter.harness.cli;

import java.time.Duration;

import lossmeter.harness.run.CampaignSpec;
import lossmeter.harness.run.Durations;
import lossmeter.harness.run.TrialSettings;

/**
 * The bounds of every numeric flag of {@code run}, and of the campaign they make together, checked
 * before anything starts: a campaign that could not fit in memory (every trial's result is kept
 * until results.json is written) or would take longer than a day is refused with a message (exit
 * 2) instead of dying hours later with an OutOfMemoryError. {@code --allow-long} lifts the time
 * cap, never the trial cap.
 */
final class CampaignBounds {
    static final int MAX_TRIALS = 10_000;
    static final int MAX_CRASHES = 1_000;
    static final int MAX_CLIENTS = 1_024;
    static final int MAX_KEYS = 1_000_000;
    static final Duration MAX_DURATION = Duration.ofHours(24);
    static final Duration MAX_TIMEOUT = Duration.ofHours(1);
    static final Duration MAX_PLANNED = Duration.ofHours(24);
    static final double MAX_TOLERANCE_PERCENT = 1_000_000;
    static final long MAX_TOLERANCE_MS = Duration.ofDays(1).toMillis();

    private CampaignBounds() {
    }

    /** Throws IllegalArgumentException naming the flag and its bounds. */
    static void check(CampaignSpec c, int keys, boolean allowLong) {
        TrialSettings s = c.settings();
        between("--trials", c.trials(), 1, MAX_TRIALS);
        between("--crashes", s.crashes(), 0, MAX_CRASHES);
        between("--clients", s.clients(), 1, MAX_CLIENTS);
        between("--keys", keys, 1, MAX_KEYS);
        atMost("--duration", s.duration(), MAX_DURATION);
        atMost("--window", s.window(), MAX_TIMEOUT);
        atMost("--op-timeout", s.opTimeout(), MAX_TIMEOUT);
        atMost("--ready-timeout", s.readyTimeout(), MAX_TIMEOUT);
        long cells = c.only() != null ? 1 : (long) c.policies().size() * c.faults().size();
        long total = c.only() != null ? 1 : cells * c.trials();
        if (total > MAX_TRIALS) {
            throw new IllegalArgumentException("the campaign has " + total + " trials (" + cells + " policy × fault cells × --trials "
                    + c.trials() + "); at most " + MAX_TRIALS + " fit in one campaign: split it into several --out dirs");
        }
        // Each trial runs --crashes cycles and the final graceful restart, each about --duration long.
        double plannedMs = (double) total * (s.crashes() + 1) * s.duration().toMillis();
        if (!allowLong && plannedMs > MAX_PLANNED.toMillis()) {
            throw new IllegalArgumentException("the campaign would run about " + hours(plannedMs) + " (" + total + " trials × "
                    + (s.crashes() + 1) + " cycles × " + Durations.format(s.duration()) + "), more than "
                    + Durations.format(MAX_PLANNED) + "; shorten it, or pass --allow-long to run it anyway");
        }
    }

    static void tolerance(double percent, long ms) {
        if (!(percent <= MAX_TOLERANCE_PERCENT)) {
            throw new IllegalArgumentException("--tolerance-percent must be ≤ " + (long) MAX_TOLERANCE_PERCENT + ", not " + percent);
        }
        between("--tolerance-ms", ms, 0, MAX_TOLERANCE_MS);
    }

    private static void between(String flag, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(flag + " must be between " + min + " and " + max + ", not " + value);
        }
    }

    private static void atMost(String flag, Duration value, Duration max) {
        if (value.compareTo(max) > 0) {
            throw new IllegalArgumentException(flag + " must be at most " + Durations.format(max) + ", not " + Durations.format(value));
        }
    }

    private static String hours(double ms) {
        double h = ms / 3_600_000;
        return h >= 10_000 ? String.format("%.0e h", h) : String.format("%.1f h", h);
    }
}
