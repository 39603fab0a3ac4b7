package lossmeter.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lossmeter.testsupport.Requirements;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.args.ListPosition;
import redis.clients.jedis.params.SetParams;

/**
 * Our AOF and real Redis 7.0's, read by each other. (a) An AOF written by our server is loaded by
 * real redis-server as an old-style single file (which Redis 7 migrates into its AOF directory).
 * (b) Real Redis's multi-part AOF (base + incr files, listed in the manifest) concatenated in
 * manifest order into the single {@code appendonly.aof} our server reads. Both ways, every key,
 * type, value and TTL of every database must match.
 */
@Tag("integration")
class RealRedisCompatIT {
    private static final int DATABASES = 16;
    private static final long TTL_TOLERANCE_MS = 1000;
    /** Far in the future: no key expires during the test, whichever server holds it. */
    private static final long FAR_SECONDS = 30L * 24 * 3600;

    @BeforeEach
    void needRedis() {
        Requirements.requireCommand("redis-server");
    }

    /**
     * A mixed workload on db 0 and db 3: strings, integers, lists, expiries far in the future,
     * deletes, renames, and transactions. Deterministic for a seed.
     */
    static void workload(Jedis j, long seed, int ops, String tag) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long far = System.currentTimeMillis() + FAR_SECONDS * 1000;
        for (int i = 0; i < ops; i++) {
            int db = rnd.nextInt(4) == 0 ? 3 : 0;
            j.select(db);
            String s = tag + ":s" + rnd.nextInt(40);
            String n = tag + ":n" + rnd.nextInt(10);
            String l = tag + ":l" + rnd.nextInt(8);
            switch (rnd.nextInt(24)) {
                case 0, 1 -> j.set(s, "value " + i + " ünïcødé");
                case 2 -> j.set(s, "ttl-" + i, SetParams.setParams().ex(FAR_SECONDS + rnd.nextInt(1000)));
                case 3 -> j.set(s, "pxat-" + i, SetParams.setParams().pxAt(far + rnd.nextInt(100_000)));
                case 4 -> j.append(s, "+" + i);
                case 5, 6 -> incr(j, n, 1);
                case 7 -> incr(j, n, rnd.nextLong(-1_000_000, 1_000_000));
                case 8 -> j.sendCommand(Protocol.Command.SETEX, s, Long.toString(FAR_SECONDS), "setex-" + i);
                case 9, 10 -> j.rpush(l, "r" + i, "r" + i + "b");
                case 11 -> j.lpush(l, "p" + i);
                case 12 -> j.lpop(l);
                case 13 -> j.rpop(l);
                case 14 -> {
                    if (j.llen(l) > 0) j.lset(l, 0, "set-" + i);
                }
                case 15 -> j.ltrim(l, 0, 20);
                case 16 -> j.lrem(l, 1, "r" + (i - 1));
                case 17 -> j.linsert(l, ListPosition.BEFORE, "r" + (i - 2), "ins-" + i);
                case 18 -> {
                    if (j.exists(l)) j.expire(l, FAR_SECONDS + rnd.nextInt(1000));
                }
                case 19 -> j.persist(s);
                case 20 -> j.del(s);
                case 21 -> {
                    if (j.exists(s)) j.rename(s, tag + ":renamed" + rnd.nextInt(5));
                }
                case 22 -> {
                    j.mset(tag + ":m" + rnd.nextInt(6), "m" + i, tag + ":m" + rnd.nextInt(6), "mm" + i);
                    j.sendCommand(Protocol.Command.GETSET, s, "getset-" + i);
                }
                default -> {
                    Transaction t = j.multi();
                    t.set(tag + ":tx" + rnd.nextInt(5), "tx-" + i);
                    t.rpush(tag + ":txlist", "t" + i);
                    t.incr(tag + ":txcount");
                    t.exec();
                }
            }
        }
        j.select(0);
    }

    /** INCRBY that stays an integer: a key that holds something else is replaced first. */
    private static void incr(Jedis j, String key, long by) {
        String type = j.type(key);
        if (!type.equals("none") && !type.equals("string")) j.del(key);
        String v = j.get(key);
        if (v != null && !v.matches("-?\\d{1,15}")) j.del(key);
        j.incrBy(key, by);
    }

    @Test
    void realRedisLoadsAnAofWrittenByOurServer(@TempDir Path ours, @TempDir Path theirs) throws Exception {
        Dataset expected;
        try (ServerProcess s = ServerProcess.in(ours).appendonly("everysec").start(); Jedis j = s.jedis()) {
            workload(j, 1, 1500, "a");
            j.select(3);
            j.set("only-in-db3", "3");
            j.rpush("db3-list", "x", "y", "z");
            j.select(0);
            j.set("plain", "no ttl");
            j.set("far-future", "expires in 30 days", SetParams.setParams().ex(FAR_SECONDS));
            j.rpush("list-with-ttl", "a", "b");
            j.expire("list-with-ttl", FAR_SECONDS);
            j.incrBy("integer", 123456789012L);
            expected = Dataset.read(j, DATABASES);
            assertThat(s.stop()).as("SHUTDOWN exit status").isZero();
        }
        assertThat(expected.dbs().keySet()).containsExactly(0, 3);
        assertThat(expected.size()).isGreaterThan(50);
        assertThat(expected.dbs().get(0).values()).anyMatch(e -> e.expireAtMillis() > 0).anyMatch(e -> e.type().equals("list"));

        Files.copy(ours.resolve("appendonly.aof"), theirs.resolve("appendonly.aof"));
        try (RealRedis r = RealRedis.in(theirs).appendonly(true).directive("appendfilename", "appendonly.aof").start();
             Jedis j = r.jedis()) {
            await("real Redis to finish loading").atMost(Duration.ofSeconds(30))
                    .until(() -> j.info("persistence").contains("loading:0"));
            assertThat(r.log()).as("redis-server log").contains("DB loaded from append only file");
            assertThat(r.log()).as("redis-server log: migration of the old-style AOF")
                    .contains("Successfully migrated an old-style AOF file (appendonly.aof) into the AOF directory");
            assertThat(Files.exists(theirs.resolve("appendonlydir"))).as("Redis 7 made its AOF directory").isTrue();
            Dataset.read(j, DATABASES).assertSameAs(expected, TTL_TOLERANCE_MS, "real Redis after loading our AOF");
            r.stop();
        }
    }

    @Test
    void ourServerLoadsRealRedisAofFilesConcatenatedInManifestOrder(@TempDir Path theirs, @TempDir Path ours) throws Exception {
        Dataset expected;
        try (RealRedis r = RealRedis.in(theirs).appendonly(true).directive("aof-use-rdb-preamble", "no").start();
             Jedis j = r.jedis()) {
            workload(j, 2, 800, "b");
            j.flushAll();
            workload(j, 3, 1500, "c");
            j.select(3);
            j.set("only-in-db3", "3");
            j.select(0);
            j.set("far-future", "expires in 30 days", SetParams.setParams().ex(FAR_SECONDS));
            expected = Dataset.read(j, DATABASES);
            assertThat(r.stop()).as("redis-server SHUTDOWN exit status").isZero();
        }
        byte[] single = concatenateInManifestOrder(theirs.resolve("appendonlydir"), "appendonly.aof");
        String text = new String(single, StandardCharsets.UTF_8);
        assertThat(text).as("the real AOF holds a FLUSHALL").containsIgnoringCase("FLUSHALL").containsIgnoringCase("MULTI");
        assertDatasetAfterLoading(single, ours, expected, "our server after loading real Redis's AOF");
    }

    /** After BGREWRITEAOF the base file holds Redis's rewrite output (SELECT, SET, RPUSH, PEXPIREAT); more writes go to a new incr file. */
    @Test
    void ourServerLoadsRealRedisRewrittenBasePlusIncr(@TempDir Path theirs, @TempDir Path ours) throws Exception {
        Dataset expected;
        try (RealRedis r = RealRedis.in(theirs).appendonly(true).directive("aof-use-rdb-preamble", "no").start();
             Jedis j = r.jedis()) {
            workload(j, 4, 1200, "d");
            for (int i = 0; i < 150; i++) j.rpush("long-list", "element-" + i); // more than 64: several RPUSH in the rewrite
            j.bgrewriteaof();
            await("the AOF rewrite to finish").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
                String info = j.info("persistence");
                return info.contains("aof_rewrite_in_progress:0") && info.contains("aof_rewrite_scheduled:0")
                        && info.contains("aof_rewrites:1");
            });
            workload(j, 5, 800, "e");
            j.select(3);
            j.flushDB();
            j.set("after-flushdb", "1");
            j.select(0);
            expected = Dataset.read(j, DATABASES);
            assertThat(r.stop()).as("redis-server SHUTDOWN exit status").isZero();
        }
        Path aofDir = theirs.resolve("appendonlydir");
        String manifest = Files.readString(aofDir.resolve("appendonly.aof.manifest"));
        assertThat(manifest).as("manifest after one rewrite").contains("appendonly.aof.2.base.aof").contains("type b")
                .contains("type i");
        byte[] single = concatenateInManifestOrder(aofDir, "appendonly.aof");
        assertThat(new String(single, StandardCharsets.UTF_8)).as("rewrite output").contains("PEXPIREAT").contains("RPUSH");
        assertDatasetAfterLoading(single, ours, expected, "our server after loading real Redis's rewritten AOF");
    }

    private static void assertDatasetAfterLoading(byte[] single, Path ours, Dataset expected, String what) throws IOException {
        assertThat(expected.dbs().keySet()).as("databases written").containsExactly(0, 3);
        assertThat(expected.size()).as("keys written").isGreaterThan(50);
        assertThat(expected.dbs().get(0).values()).anyMatch(e -> e.expireAtMillis() > 0).anyMatch(e -> e.type().equals("list"))
                .anyMatch(e -> e.type().equals("string") && e.expireAtMillis() < 0);
        Files.write(ours.resolve("appendonly.aof"), single);
        try (ServerProcess s = ServerProcess.in(ours).appendonly("everysec").start(); Jedis j = s.jedis()) {
            assertThat(s.log()).contains("DB loaded from append only file").doesNotContain("Truncating");
            Dataset.read(j, DATABASES).assertSameAs(expected, TTL_TOLERANCE_MS, what);
            assertThat(s.stop()).isZero();
        }
    }

    /**
     * The base file, then the incr files, in the order the manifest lists them (lines
     * {@code file <name> seq <n> type <b|h|i>}; history files are not part of the dataset).
     */
    static byte[] concatenateInManifestOrder(Path aofDir, String appendfilename) throws IOException {
        List<String> lines = Files.readAllLines(aofDir.resolve(appendfilename + ".manifest"), StandardCharsets.UTF_8);
        List<Path> base = new ArrayList<>();
        List<Path> incr = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) continue;
            String[] f = line.trim().split("\\s+");
            String name = null, type = null;
            for (int i = 0; i + 1 < f.length; i += 2) {
                if (f[i].equals("file")) name = f[i + 1];
                if (f[i].equals("type")) type = f[i + 1];
            }
            assertThat(name).as("manifest line %s", line).isNotNull();
            switch (type) {
                case "b" -> base.add(aofDir.resolve(name));
                case "i" -> incr.add(aofDir.resolve(name));
                case "h" -> {
                    // history: already replaced by the base
                }
                default -> throw new AssertionError("unknown manifest file type in: " + line);
            }
        }
        assertThat(base).as("base files in the manifest").hasSize(1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Path p : base) out.write(Files.readAllBytes(p));
        for (Path p : incr) out.write(Files.readAllBytes(p));
        byte[] all = out.toByteArray();
        assertThat(new String(all, 0, Math.min(5, all.length), StandardCharsets.US_ASCII))
                .as("no RDB preamble (aof-use-rdb-preamble no)").isNotEqualTo("REDIS");
        return all;
    }
}
