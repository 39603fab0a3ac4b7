package com.example.durability;

import static org.assertj.core.api.Assertions.assertThat;

import lossmeter.faults.target.Policy;
import lossmeter.harness.run.CellResult;
import lossmeter.harness.target.Target;
import lossmeter.harness.target.Targets;
import lossmeter.junit.DurabilityTest;
import lossmeter.junit.LossmeterTarget;

/**
 * The server under test keeps its fsync promises through a SIGKILL and a graceful restart: one
 * test invocation per policy × fault, e.g. {@code [always × kill]}. Point {@link #SERVER} at your
 * own server with {@code Targets.command("./my-server --port {port} --dir {dir} --appendfsync {fsync}")}.
 */
class BundledServerDurabilityTest {
    @LossmeterTarget
    static final Target SERVER = Targets.bundled();

    // Short on purpose (a CI gate, not a soak): one trial per cell, one crash of a 1 s cycle.
    @DurabilityTest(policies = {Policy.ALWAYS, Policy.EVERYSEC}, faults = {"kill", "restart"}, trials = 1, crashes = 1, duration = "1s")
    void keepsEveryAcknowledgedWrite(CellResult cell) {
        assertThat(cell.lostAcked()).isZero();
        assertThat(cell.ackedWrites()).isPositive();
    }
}
