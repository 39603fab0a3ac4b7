package lossmeter.harness.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lossmeter.faults.node.Node;
import lossmeter.faults.target.AofLayout;
import lossmeter.faults.target.Policy;
import lossmeter.faults.target.RunningTarget;
import lossmeter.harness.client.JedisKvClient;
import lossmeter.harness.client.StateReader;
import lossmeter.harness.node.LocalNode;
import lossmeter.testsupport.Requirements;

@Tag("integration")
class TargetIT {
    private static final Duration READY = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Launch launch(Policy p) {
        return new Launch(p, dir.resolve("data"), dir.resolve("target.log"), dir);
    }

    /** Writes, kills the group, restarts, and reads the writes back: the life of a crash cycle. */
    private void survivesAKill(Target target, Node node) {
        node.files().mkdirs(dir.resolve("data"));
        try (RunningTarget t = target.start(node, launch(Policy.ALWAYS))) {
            t.awaitReady(READY);
            try (JedisKvClient c = JedisKvClient.connect(t.endpoint(), Duration.ofSeconds(5))) {
                assertThat(c.incrBy("c0", 1)).isEqualTo(1);
                assertThat(c.rpush("l0", "p0-1")).isEqualTo(1);
            }
            t.kill();
            assertThat(t.awaitDeath(Duration.ofSeconds(30))).isTrue();
            assertThat(t.alive()).isFalse();
        }
        try (RunningTarget again = target.start(node, launch(Policy.ALWAYS))) {
            again.awaitReady(READY);
            assertThat(StateReader.read(again.endpoint(), Duration.ofSeconds(10))).isEqualTo(Map.of("c0", 1L, "l0", List.of("p0-1")));
            again.shutdown();
            assertThat(again.awaitDeath(Duration.ofSeconds(30))).isTrue();
        }
    }

    @Test
    void bundledServerStartsAnswersAndDiesWithItsGroup() {
        try (LocalNode node = new LocalNode()) {
            Target bundled = Targets.bundled();
            bundled.validate(node);
            node.files().mkdirs(dir.resolve("data"));
            try (RunningTarget t = bundled.start(node, launch(Policy.EVERYSEC))) {
                t.awaitReady(READY);
                assertThat(t.version()).startsWith("lossmeter-target-server");
                assertThat(t.log()).isEqualTo(dir.resolve("target.log"));
                assertThat(t.logTail(50)).contains("Ready to accept connections");
            }
            survivesAKill(bundled, node);
            assertThat(AofLayout.detect(node, dir.resolve("data")).kind()).isNotEqualTo(AofLayout.Kind.NONE);
        }
    }

    @Test
    void realRedisKeepsItsAofInAppendonlydir() {
        Path redis = Requirements.requireCommand("redis-server");
        try (LocalNode node = new LocalNode()) {
            Target target = Targets.redis(redis);
            target.validate(node);
            survivesAKill(target, node);
            AofLayout layout = AofLayout.detect(node, dir.resolve("data"));
            assertThat(layout.kind()).isEqualTo(AofLayout.Kind.MULTI_PART);
            assertThat(layout.tail()).isNotNull();
            assertThat(node.files().exists(dir.resolve("redis-always.conf"))).isTrue();
            try (RunningTarget t = target.start(node, launch(Policy.NO))) {
                t.awaitReady(READY);
                assertThat(t.version()).startsWith("redis 7.");
            }
        }
    }

    @Test
    void aTargetThatNeverAnswersIsReportedWithItsLogAndLeavesNothingBehind() {
        try (LocalNode node = new LocalNode()) {
            node.files().mkdirs(dir.resolve("data"));
            RunningTarget t = Targets.cmd("echo hello from the target; sleep 1000 # {port}").start(node, launch(Policy.NO));
            try {
                assertThatThrownBy(() -> t.awaitReady(Duration.ofSeconds(2))).isInstanceOf(TargetNotReadyException.class)
                        .hasMessageContaining("did not answer PING within 2000ms").hasMessageContaining("hello from the target");
            } finally {
                t.close();
            }
            assertThat(t.alive()).isFalse();
        }
    }

    @Test
    void aTargetThatExitsIsReportedAtOnce() {
        try (LocalNode node = new LocalNode()) {
            node.files().mkdirs(dir.resolve("data"));
            try (RunningTarget t = Targets.cmd("echo cannot open config >&2; exit 1 # {port}").start(node, launch(Policy.NO))) {
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> t.awaitReady(Duration.ofSeconds(20))).isInstanceOf(TargetNotReadyException.class)
                        .hasMessageContaining("exited before answering PING").hasMessageContaining("cannot open config");
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
            }
        }
    }
}
