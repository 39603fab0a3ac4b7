package lossmeter.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lossmeter.testsupport.Requirements;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

/**
 * A torn AOF tail that cuts inside a MULTI/EXEC block, then one more transaction, then a restart.
 * The first restart must drop the whole torn transaction (it was never acknowledged) and leave a
 * log that ends outside any MULTI. Our server cuts the file before the MULTI. Redis 7.0 cuts it at
 * the last complete command, inside the MULTI, and appends the next transaction after it: at the
 * following restart the torn transaction's commands run with the next EXEC, and an increment
 * nobody was told about comes back. lossmeter's torn-write fault found this; here it is pinned
 * down without lossmeter, one byte layout at a time.
 */
@Tag("integration")
class TornTransactionIT {
    private static final byte[] MULTI = "*1\r\n$5\r\nMULTI\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void ourServerDropsTheTornTransactionForGood(@TempDir Path dir) throws Exception {
        try (ServerProcess s = ServerProcess.in(dir).appendonly("always").start(); Jedis j = s.jedis()) {
            acknowledgedHistory(j);
            assertThat(s.stop()).isZero();
        }
        tearInsideTheLastTransaction(dir.resolve("appendonly.aof"));
        try (ServerProcess s = ServerProcess.in(dir).appendonly("always").start(); Jedis j = s.jedis()) {
            assertThat(j.get("c")).as("after the torn tail is cut").isEqualTo("1");
            oneMoreTransaction(j);
            assertThat(s.stop()).isZero();
        }
        try (ServerProcess s = ServerProcess.in(dir).appendonly("always").start(); Jedis j = s.jedis()) {
            assertThat(j.get("c")).as("only acknowledged increments come back").isEqualTo("2");
            s.stop();
        }
    }

    @Test
    void redisResurrectsTheTornTransactionAfterTheNextOne(@TempDir Path dir) throws Exception {
        Requirements.requireCommand("redis-server");
        try (RealRedis r = RealRedis.in(dir).appendonly(true).directive("appendfsync", "always")
                .directive("aof-use-rdb-preamble", "no").start(); Jedis j = r.jedis()) {
            acknowledgedHistory(j);
            assertThat(r.stop()).isZero();
        }
        tearInsideTheLastTransaction(dir.resolve("appendonlydir").resolve("appendonly.aof.1.incr.aof"));
        try (RealRedis r = RealRedis.in(dir).appendonly(true).directive("appendfsync", "always").start(); Jedis j = r.jedis()) {
            assertThat(j.get("c")).as("after the torn tail is cut").isEqualTo("1");
            assertThat(r.log()).contains("Truncating the AOF");
            oneMoreTransaction(j);
            assertThat(r.stop()).isZero();
        }
        try (RealRedis r = RealRedis.in(dir).appendonly(true).directive("appendfsync", "always").start(); Jedis j = r.jedis()) {
            // Acknowledged: 1, then the torn transaction's increment was gone, then +1 → 2.
            // Redis 7.0.15 serves 3: the dangling MULTI swallowed the next transaction.
            assertThat(j.get("c")).as("Redis 7.0's load of a torn MULTI; log:%n%s", r.log()).isEqualTo("3");
            assertThat(r.log()).contains("MULTI calls can not be nested");
            r.stop();
        }
    }

    /** c = 1, then a transaction of two increments (c = 3), every reply received. */
    private static void acknowledgedHistory(Jedis j) {
        assertThat(j.incr("c")).isEqualTo(1);
        Transaction t = j.multi();
        t.incr("c");
        t.incr("c");
        assertThat(t.exec()).containsExactly(2L, 3L);
    }

    private static void oneMoreTransaction(Jedis j) {
        Transaction t = j.multi();
        t.incr("c");
        t.set("other", "x");
        assertThat(t.exec()).hasSize(2);
    }

    /** Keeps the last MULTI, its first INCR and half of its second: a power loss that wrote a prefix of the last write. */
    private static void tearInsideTheLastTransaction(Path aof) throws IOException {
        byte[] bytes = Files.readAllBytes(aof);
        int multi = lastIndexOf(bytes, MULTI);
        assertThat(multi).as("a MULTI in %s", aof).isPositive();
        int firstIncr = multi + MULTI.length;
        int secondIncr = indexOf(bytes, "*2\r\n".getBytes(StandardCharsets.US_ASCII), firstIncr + 1);
        assertThat(secondIncr).isGreaterThan(firstIncr);
        byte[] torn = java.util.Arrays.copyOf(bytes, secondIncr + 9);
        Files.write(aof, torn);
    }

    private static int lastIndexOf(byte[] a, byte[] b) {
        for (int i = a.length - b.length; i >= 0; i--) if (java.util.Arrays.equals(a, i, i + b.length, b, 0, b.length)) return i;
        return -1;
    }

    private static int indexOf(byte[] a, byte[] b, int from) {
        for (int i = from; i <= a.length - b.length; i++) if (java.util.Arrays.equals(a, i, i + b.length, b, 0, b.length)) return i;
        return -1;
    }
}
