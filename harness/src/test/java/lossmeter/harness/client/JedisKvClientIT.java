package lossmeter.harness.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lossmeter.faults.target.Endpoint;
import lossmeter.faults.target.Policy;
import lossmeter.faults.target.RunningTarget;
import lossmeter.faults.target.TargetAdmin;
import lossmeter.harness.node.LocalNode;
import lossmeter.harness.target.Launch;
import lossmeter.harness.target.Targets;
import lossmeter.testsupport.Requirements;
import lossmeter.workloads.client.ClientException;
import redis.clients.jedis.Jedis;

@Tag("integration")
class JedisKvClientIT {
    @TempDir
    Path dir;

    @Test
    void mapsRepliesErrorsAndLostConnections() {
        try (LocalNode node = new LocalNode()) {
            node.files().mkdirs(dir.resolve("data"));
            try (RunningTarget t = Targets.bundled().start(node, new Launch(Policy.EVERYSEC, dir.resolve("data"), dir.resolve("t.log"), dir))) {
                t.awaitReady(Duration.ofSeconds(30));
                try (JedisKvClient c = JedisKvClient.connect(t.endpoint(), JedisKvClient.DEFAULT_OP_TIMEOUT)) {
                    assertThat(c.incrBy("c0", 1)).isEqualTo(1);
                    assertThat(c.incrBy("c1", 3)).isEqualTo(3);
                    assertThat(c.rpush("l0", "a")).isEqualTo(1);
                    assertThat(c.lpush("l1", "b")).isEqualTo(1);
                    assertThat(c.get("c1")).isEqualTo("3");
                    assertThat(c.get("c9")).isNull();
                    assertThat(c.lrange("l0")).containsExactly("a");
                    assertThat(c.txn(List.of(List.of("incr", "c0", 1L), List.of("rpush", "l0", "b"), List.of("lpush", "l1", "c"))))
                            .containsExactly(2L, 2L, 2L);
                    // An error reply is definite: the server refused, nothing happened.
                    assertThatThrownBy(() -> c.incrBy("l0", 1)).isInstanceOfSatisfying(ClientException.class,
                            e -> assertThat(e.definite()).isTrue());
                    // A step failing inside EXEC leaves the others applied: not a clean outcome either way.
                    assertThatThrownBy(() -> c.txn(List.of(List.of("incr", "c0", 1L), List.of("incr", "l0", 1L))))
                            .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.definite()).isFalse());
                    assertThat(c.broken()).isFalse();
                    try (Jedis raw = TargetAdmin.jedis(t.endpoint(), Duration.ofSeconds(5))) {
                        raw.set("c5", "not-a-number");
                    }
                    assertThat(StateReader.read(t.endpoint(), Duration.ofSeconds(5))).isEqualTo(Map.of("c0", 3L, "c1", 3L,
                            "l0", List.of("a", "b"), "l1", List.of("c", "b"), "c5", "not-a-number"));

                    t.kill();
                    t.awaitDeath(Duration.ofSeconds(30));
                    // The connection died under the op: it may or may not have happened.
                    assertThatThrownBy(() -> c.incrBy("c0", 1)).isInstanceOfSatisfying(ClientException.class,
                            e -> assertThat(e.definite()).isFalse());
                    assertThat(c.broken()).isTrue();
                }
            }
            // Nothing listens there: a refused connection sent nothing, so it is definite.
            assertThatThrownBy(() -> JedisKvClient.connect(new Endpoint("127.0.0.1", 1), Duration.ofSeconds(1)))
                    .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.definite()).isTrue());
        }
    }

    @Test
    void keysOfOtherTypesComeBackAsMarkersNoClientWrites() {
        Path redis = Requirements.requireCommand("redis-server");
        try (LocalNode node = new LocalNode()) {
            node.files().mkdirs(dir.resolve("data"));
            try (RunningTarget t = Targets.redis(redis).start(node, new Launch(Policy.NO, dir.resolve("data"), dir.resolve("t.log"), dir))) {
                t.awaitReady(Duration.ofSeconds(30));
                try (Jedis raw = TargetAdmin.jedis(t.endpoint(), Duration.ofSeconds(5))) {
                    raw.sadd("s0", "x");
                    raw.hset("h0", "f", "v");
                    raw.set("c0", "7");
                }
                assertThat(StateReader.read(t.endpoint(), Duration.ofSeconds(5)))
                        .isEqualTo(Map.of("s0", "<type:set>", "h0", "<type:hash>", "c0", 7L));
            }
        }
    }

    /** A FLUSHALL outlives a pause longer than the op timeout, so it never runs after ops invoked later. */
    @Test
    void aFlushallWaitsThroughAPauseInsteadOfTimingOut() throws Exception {
        try (LocalNode node = new LocalNode()) {
            node.files().mkdirs(dir.resolve("data"));
            try (RunningTarget t = Targets.bundled().start(node, new Launch(Policy.EVERYSEC, dir.resolve("data"), dir.resolve("t.log"), dir))) {
                t.awaitReady(Duration.ofSeconds(30));
                Duration opTimeout = Duration.ofMillis(300);
                try (JedisKvClient c = JedisKvClient.connect(t.endpoint(), opTimeout)) {
                    assertThat(c.incrBy("c0", 1)).isEqualTo(1);
                    lossmeter.faults.target.Pausable p = (lossmeter.faults.target.Pausable) t;
                    p.pause();
                    java.util.concurrent.CompletableFuture<Void> flush = java.util.concurrent.CompletableFuture.runAsync(c::flushAll);
                    try {
                        Thread.sleep(3 * opTimeout.toMillis());
                        assertThat(flush).as("still waiting past the op timeout").isNotDone();
                    } finally {
                        p.resume();
                    }
                    flush.get(30, java.util.concurrent.TimeUnit.SECONDS);
                    // Back to the op timeout for everything else.
                    assertThat(c.get("c0")).isNull();
                    p.pause();
                    try {
                        assertThatThrownBy(() -> c.get("c0")).isInstanceOfSatisfying(ClientException.class,
                                e -> assertThat(e.definite()).isFalse());
                    } finally {
                        p.resume();
                    }
                }
            }
        }
    }
}
