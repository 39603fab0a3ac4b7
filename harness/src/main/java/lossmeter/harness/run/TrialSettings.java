package lossmeter.harness.run;

import java.time.Duration;

import lossmeter.faults.CrashPoint;
import lossmeter.workloads.generator.Workload;

/**
 * The settings every trial of a campaign shares: the workload, the length of a crash cycle, the
 * number of crash cycles, the client processes, the everysec window W, the timeouts, and whether
 * a target that refuses to start after a fault gets its log repaired ({@code --repair}), and how
 * crash moments are chosen ({@code --crash-point}: at a seeded I/O operation where lossyfs is
 * mounted, or at a seeded time). A {@link TrialPlan} (a scenario) fixes the cycles instead of
 * {@code duration} and {@code crashes}; null for a campaign's drawn trials.
 */
public record TrialSettings(Workload workload, Duration duration, int crashes, int clients, Duration window,
                            Duration opTimeout, Duration readyTimeout, boolean repair, CrashPoint.Mode crashPoint, TrialPlan plan) {
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(30);

    public TrialSettings {
        java.util.Objects.requireNonNull(crashPoint, "crashPoint");
        if (duration.isNegative() || duration.isZero()) throw new IllegalArgumentException("--duration must be positive");
        if (crashes < 0) throw new IllegalArgumentException("--crashes must be ≥ 0");
        if (clients < 1) throw new IllegalArgumentException("--clients must be ≥ 1");
        if (window.isNegative()) throw new IllegalArgumentException("--window must be ≥ 0");
        if (opTimeout.isNegative() || opTimeout.isZero()) throw new IllegalArgumentException("--op-timeout must be positive");
        if (readyTimeout.isNegative() || readyTimeout.isZero()) throw new IllegalArgumentException("--ready-timeout must be positive");
        if (plan != null && plan.cycles().size() != crashes) {
            throw new IllegalArgumentException("a plan of " + plan.cycles().size() + " cycles with crashes " + crashes);
        }
    }

    public TrialSettings(Workload workload, Duration duration, int crashes, int clients, Duration window, Duration opTimeout,
                         Duration readyTimeout, boolean repair, CrashPoint.Mode crashPoint) {
        this(workload, duration, crashes, clients, window, opTimeout, readyTimeout, repair, crashPoint, null);
    }

    public TrialSettings(Workload workload, Duration duration, int crashes, int clients, Duration window, Duration opTimeout,
                         Duration readyTimeout, boolean repair) {
        this(workload, duration, crashes, clients, window, opTimeout, readyTimeout, repair, CrashPoint.Mode.IO);
    }

    public TrialSettings(Workload workload, Duration duration, int crashes, int clients, Duration window, Duration opTimeout,
                         Duration readyTimeout) {
        this(workload, duration, crashes, clients, window, opTimeout, readyTimeout, false);
    }
}
