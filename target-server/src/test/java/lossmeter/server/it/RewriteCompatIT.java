package lossmeter.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import lossmeter.testsupport.Requirements;
import redis.clients.jedis.Jedis;

/**
 * An AOF our server rewrote, with and without RDB preamble, is accepted by redis-check-aof and
 * loaded by a real redis-server 7.0 (which migrates a single appendonly.aof into its AOF
 * directory) with the same dataset, every key compared; our check-aof accepts it, and our server
 * loads it back after a restart.
 */
@Tag("integration")
class RewriteCompatIT {
    private static final int DATABASES = 16;
    private static final long TTL_TOLERANCE_MS = 1000;
    private static final long FAR_MS = 30L * 24 * 3600 * 1000;

    @BeforeEach
    void needRedis() {
        Requirements.requireCommand("redis-server");
        Requirements.requireCommand("redis-check-aof");
    }

    /** Strings, integers, long lists (more than 64 elements: several RPUSH), expiries, three databases, then changes. */
    static void workload(Jedis j, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] dbs = {0, 0, 0, 5, 15};
        for (int i = 0; i < 1500; i++) {
            j.select(dbs[rnd.nextInt(dbs.length)]);
            String key = "k" + i;
            switch (rnd.nextInt(6)) {
                case 0 -> j.incrBy(key, rnd.nextLong(-1L << 40, 1L << 40));
                case 1 -> {
                    String[] batch = new String[rnd.nextInt(1, 300)];
                    for (int e = 0; e < batch.length; e++) batch[e] = "e" + e + "-" + "x".repeat(rnd.nextInt(40));
                    j.rpush(key, batch);
                }
                case 2 -> j.lpush(key, "a", "b", "c");
                case 3 -> j.set(key, "compressible " + "abcd".repeat(rnd.nextInt(5, 500)));
                default -> j.set(key, "value-" + rnd.nextLong());
            }
            if (rnd.nextInt(5) == 0) j.pexpireAt(key, System.currentTimeMillis() + FAR_MS + rnd.nextInt(1_000_000));
        }
        j.select(0);
    }

    @ParameterizedTest(name = "aof-use-rdb-preamble {0}")
    @ValueSource(strings = {"yes", "no"})
    void redisToolsAndRealRedisAcceptOurRewrittenAof(String preamble, @org.junit.jupiter.api.io.TempDir Path ours,
            @org.junit.jupiter.api.io.TempDir Path theirs) throws Exception {
        Dataset expected;
        try (ServerProcess s = ServerProcess.in(ours).appendonly("everysec").directive("aof-use-rdb-preamble", preamble)
                .directive("save", "").start(); Jedis j = s.jedis()) {
            workload(j, 7);
            assertThat(j.bgrewriteaof()).isEqualTo("Background append only file rewriting started");
            // Changes while it runs land in the rewrite buffer, then in the new file's tail.
            j.rpush("k1-during", "x", "y");
            j.select(5);
            j.set("during-db5", "v");
            j.select(0);
            await("the rewrite to finish").atMost(Duration.ofSeconds(60))
                    .until(() -> j.info("persistence").contains("aof_rewrite_in_progress:0"));
            assertThat(j.info("persistence")).contains("aof_last_bgrewrite_status:ok").contains("aof_rewrites:1");
            j.set("after-rewrite", "tail");
            expected = Dataset.read(j, DATABASES);
            assertThat(s.log()).contains("Background AOF rewrite finished successfully");
            assertThat(s.stop()).isZero();
        }
        Path aof = ours.resolve("appendonly.aof");
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(aof), 5);
        assertThat(new String(head, StandardCharsets.US_ASCII).equals("REDIS")).as("file starts with an RDB preamble")
                .isEqualTo(preamble.equals("yes"));

        String report = ChildProcess.run(Duration.ofSeconds(60), List.of("redis-check-aof", aof.toString()));
        assertThat(report).as("redis-check-aof").contains("is valid");
        if (preamble.equals("yes")) assertThat(report).contains("RDB preamble is OK, proceeding with AOF tail");
        var out = new java.io.ByteArrayOutputStream();
        int rc = lossmeter.server.aof.AofCheck.main(new String[]{aof.toString()}, java.io.InputStream.nullInputStream(),
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(rc).as("our check-aof:\n%s", out).isZero();

        Files.copy(aof, theirs.resolve("appendonly.aof"));
        try (RealRedis r = RealRedis.in(theirs).appendonly(true).directive("appendfilename", "appendonly.aof").start();
             Jedis j = r.jedis()) {
            await("real Redis to finish loading").atMost(Duration.ofSeconds(30))
                    .until(() -> j.info("persistence").contains("loading:0"));
            assertThat(r.log()).contains("Successfully migrated an old-style AOF file (appendonly.aof) into the AOF directory");
            Dataset.read(j, DATABASES).assertSameAs(expected, TTL_TOLERANCE_MS, "real Redis after loading our rewritten AOF");
            r.stop();
        }
        try (ServerProcess s = ServerProcess.in(ours).appendonly("everysec").directive("save", "").start(); Jedis j = s.jedis()) {
            assertThat(s.log()).contains("DB loaded from append only file");
            Dataset.read(j, DATABASES).assertSameAs(expected, TTL_TOLERANCE_MS, "our server after a restart");
            s.kill();
        }
    }
}
