package lossmeter.harness.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import lossmeter.faults.node.Cleanup;

class ProcessRegistryTest {
    @Test
    void aCleanupRunsOnceWhetherItsOwnerOrTheNodeClosesIt() {
        AtomicInteger runs = new AtomicInteger();
        try (LocalNode node = new LocalNode()) {
            Cleanup c = node.atExit("count", runs::incrementAndGet);
            assertThat(ProcessRegistry.global().pendingCleanups()).contains("count");
            c.close();
            c.close();
            assertThat(runs).hasValue(1);
            assertThat(ProcessRegistry.global().pendingCleanups()).doesNotContain("count");
            node.atExit("at close", runs::incrementAndGet);
        }
        assertThat(runs).hasValue(2);
        assertThat(ProcessRegistry.global().pendingCleanups()).doesNotContain("at close");
    }
}
