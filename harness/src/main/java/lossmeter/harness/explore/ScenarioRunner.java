package lossmeter.harness.explore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/** Runs one scenario as one trial into a results dir of its own; explore, shrink and replay go through it. */
public interface ScenarioRunner {
    /**
     * What a run found. {@code failures}: the anomaly kinds of its violations, and
     * {@code UNAVAILABLE} when the target did not come back (empty: it passed); {@code error} set
     * means the harness failed (INDETERMINATE: neither pass nor fail). {@code resolved} is the
     * scenario with every crash point the faults drew filled in, so running it again strikes at the
     * same operations. {@code ops} the history's ops (invocations); {@code keys} the keys it touched;
     * {@code failingCycle} the first crash cycle that did not pass (0: none, or the final restart);
     * {@code story} the trial told whole ({@link MinimalHistory}) when it is short, else empty.
     */
    record Outcome(Scenario resolved, Set<String> failures, String error, long ops, int keys, int failingCycle, java.util.List<String> story) {
        public Outcome {
            failures = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(failures));
            story = java.util.List.copyOf(story);
        }

        public boolean indeterminate() {
            return error != null;
        }

        public boolean fails() {
            return error == null && !failures.isEmpty();
        }

        /** Fails with this kind of anomaly. */
        public boolean failsWith(String kind) {
            return fails() && failures.contains(kind);
        }
    }

    Outcome run(Scenario s, Path dir) throws IOException;
}
