package lossmeter.junit;

import static org.assertj.core.api.Assertions.assertThat;

import lossmeter.faults.target.Policy;
import lossmeter.harness.run.CellResult;

/** Run by {@link DurabilityExtensionIT} through the engine test kit (its name keeps surefire and failsafe off it): the bundled server keeps every promise. */
class BundledSample {
    @DurabilityTest(policies = {Policy.ALWAYS, Policy.EVERYSEC}, faults = {"kill", "restart"}, trials = 1, crashes = 1, duration = "1s")
    @Seed(7)
    void bundledServer(CellResult cell) {
        assertThat(cell.ackedWrites()).isPositive();
    }
}
