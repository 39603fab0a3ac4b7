package lossmeter.harness.run;

import java.nio.file.Path;

import lossmeter.faults.Fault;
import lossmeter.harness.target.Target;

/** Everything one trial needs: its name and seed, the target, the fault, the shared settings, and its results dir. */
public record TrialSpec(TrialId id, long seed, Target target, Fault fault, TrialSettings settings, Path dir) {
}
