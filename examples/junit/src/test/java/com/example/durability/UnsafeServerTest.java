package com.example.durability;

import static lossmeter.junit.Lossmeter.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import lossmeter.faults.Faults;
import lossmeter.faults.target.Policy;
import lossmeter.harness.run.CampaignResult;
import lossmeter.harness.target.Targets;
import lossmeter.junit.Lossmeter;
import lossmeter.workloads.generator.Workloads;

/**
 * A server that replies before its AOF write (the bundled server with an unsafe test switch)
 * loses acknowledged writes to a kill under appendfsync always. The build stays green because the
 * test expects the failure: it shows what a red durability test tells you — the anomaly, the lost
 * ops and the command that replays the trial.
 */
class UnsafeServerTest {
    @Test
    void aServerThatRepliesBeforeItsAofWriteLosesAcknowledgedWrites() {
        CampaignResult r = Lossmeter.campaign()
                .target(Targets.bundled("--enable-unsafe-durability-switches yes --unsafe-reply-before-aof-write yes"))
                .policies(Policy.ALWAYS)
                .faults(Faults.kill())
                .workload(Workloads.mixed()).trials(1).crashes(2).duration(Duration.ofSeconds(2)).seed(11)
                .name("unsafe-reply-before-aof-write")
                .run();

        assertThatThrownBy(() -> assertThat(r).keptEveryPromise())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("LOST_ACKED")
                // The lost acknowledged ops themselves, as the history recorded them: "#index t=…ms p… ok incr c3 17".
                .hasMessageMatching("(?s).*LOST_ACKED .*\n\\s+#\\d+ t=\\d+ms p\\d+ ok \\w+.*")
                .hasMessageContaining("reproduce: ./lossmeter run --target 'bundled:--enable-unsafe-durability-switches yes")
                .hasMessageContaining("--seed 11 --only always-kill-1");
    }
}
