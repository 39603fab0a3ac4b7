package lossmeter.workloads.check;

import java.util.List;

import lossmeter.workloads.history.History;

/**
 * Judges a trial's history against the states read back after each crash, by the contract in
 * DESIGN.md: prefix consistency, durability by policy, live-read linearizability, loss metrics.
 */
public final class Checker {
    private Checker() {
    }

    public static CheckResult check(History history, List<Crash> crashes) {
        throw new UnsupportedOperationException("being written");
    }
}
