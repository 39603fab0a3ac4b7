package lossmeter.harness.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcStatTest {
    @Test
    void parsesAfterTheLastParenthesisSoAnyCommandNameWorks() {
        String stat = "4242 (we) ird (name) S 1 4240 4240 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 50 18446744073709551615";
        ProcStat s = ProcStat.parse(4242, stat).orElseThrow();
        assertThat(s.state()).isEqualTo("S");
        assertThat(s.ppid()).isEqualTo(1);
        assertThat(s.pgrp()).isEqualTo(4240);
        assertThat(s.startTime()).isEqualTo(987654);
        assertThat(s.live()).isTrue();
        assertThat(ProcStat.parse(1, "1 (z) Z 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0").orElseThrow().live()).isFalse();
        assertThat(ProcStat.parse(1, "garbage")).isEmpty();
    }

    @Test
    void aPidWithAnotherStartTimeIsAnotherProcess() {
        ProcStat self = ProcStat.self();
        assertThat(ProcStat.same(self.pid(), self.startTime())).isTrue();
        assertThat(ProcStat.same(self.pid(), self.startTime() + 1)).as("a reused pid").isFalse();
    }
}
