package lossmeter.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * SIGKILL under load, for each fsync policy. A process kill never loses an acknowledged write,
 * whatever the policy (the AOF is written before any reply of the same event-loop iteration;
 * only losing the page cache could lose more), and a transaction is all or nothing.
 */
@Tag("integration")
class CrashRecoveryIT {
    private static final int CLIENTS = 20;
    private static final int COUNTERS = 8;
    private static final int LISTS = 4;
    private static final Duration TRAFFIC = Duration.ofSeconds(2);
    private static final long MIN_ACKED = 2000;

    /** What one client was told: the highest INCR reply per counter, RPUSH replies, EXEC replies. */
    private static final class Acks {
        final long[] maxIncr = new long[COUNTERS];
        final List<Push> pushes = new ArrayList<>();
        final List<Tx> txs = new ArrayList<>();
        long count;
        Throwable end;
        boolean endedBeforeKill;
    }

    private record Push(int list, String element, long length) {
    }

    private record Tx(long a, long bLength, String element) {
    }

    @ParameterizedTest(name = "appendfsync {0}")
    @ValueSource(strings = {"always", "everysec", "no"})
    void killUnderLoadLosesNoAcknowledgedWrite(String policy, @TempDir Path dir) throws Exception {
        killUnderLoad(policy, () -> ServerProcess.in(dir).appendonly(policy).start(), false, true);
    }

    /**
     * everysec, killed the moment INFO shows a background fsync in progress: that is when the AOF
     * write is postponed (up to 2 s). Replies to the buffered writes must wait for the write, so
     * even then a kill loses nothing acknowledged. (Redis 7.0 sends them anyway and loses them.)
     */
    @Test
    void everysecKillWhileFsyncIsPendingLosesNoAcknowledgedWrite(@TempDir Path dir) throws Exception {
        killUnderLoad("everysec", () -> ServerProcess.in(dir).appendonly("everysec").start(), true, true);
    }

    /** Starts the server under test, on the same directory each time. */
    @FunctionalInterface
    interface Starter {
        ChildProcess start() throws java.io.IOException;
    }

    void killUnderLoad(String policy, Starter starter, boolean whileFsyncPending, boolean strict) throws Exception {
        AtomicBoolean killed = new AtomicBoolean();
        AtomicLong acked = new AtomicLong();
        List<Acks> acks = new ArrayList<>();
        long ackedAtKill;
        // The pool is closed last: by then the server is dead and every client has ended.
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             ChildProcess server = starter.start()) {
            List<Future<?>> clients = new ArrayList<>();
            for (int t = 0; t < CLIENTS; t++) {
                Acks a = new Acks();
                acks.add(a);
                int id = t;
                clients.add(pool.submit(() -> drive(server, id, a, acked, killed)));
            }
            long t0 = System.nanoTime();
            await("traffic for " + TRAFFIC).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> System.nanoTime() - t0 >= TRAFFIC.toNanos() && acked.get() >= MIN_ACKED);
            if (whileFsyncPending) {
                try (Jedis monitor = server.jedis()) {
                    await("a background fsync in progress").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
                            .until(() -> monitor.info("persistence").contains("aof_pending_bio_fsync:1"));
                }
            }
            ackedAtKill = acked.get();
            killed.set(true);
            server.kill();
            assertThat(server.exitCode()).as("exit status after SIGKILL").isEqualTo(128 + 9);
            await("clients to notice the kill").atMost(Duration.ofSeconds(60)).until(() -> clients.stream().allMatch(Future::isDone));
        }
        long total = acks.stream().mapToLong(a -> a.count).sum();
        System.out.printf("appendfsync %s: %d acknowledged operations (%d when the kill was sent)%n", policy, total, ackedAtKill);
        for (Acks a : acks) {
            assertThat(a.endedBeforeKill).as("a client failed before the kill: %s", a.end).isFalse();
            assertThat(a.end).as("every client was still sending when the server was killed").isNotNull();
        }
        assertThat(total).as("acknowledged operations").isGreaterThanOrEqualTo(MIN_ACKED);

        try (ChildProcess again = starter.start(); Jedis j = again.jedis()) {
            verify(j, acks, policy, strict);
            again.stop();
        }
    }

    private static void drive(ChildProcess server, int id, Acks a, AtomicLong acked, AtomicBoolean killed) {
        SplittableRandom rnd = new SplittableRandom(id * 7919L + 17);
        long seq = 0;
        try (Jedis j = server.jedis()) {
            while (true) {
                int op = rnd.nextInt(10);
                if (op < 5) {
                    int k = rnd.nextInt(COUNTERS);
                    long v = j.incr("counter:" + k);
                    if (v > a.maxIncr[k]) a.maxIncr[k] = v;
                } else if (op < 8) {
                    int l = rnd.nextInt(LISTS);
                    String e = "c" + id + "-" + seq++;
                    long len = j.rpush("list:" + l, e);
                    a.pushes.add(new Push(l, e, len));
                } else {
                    String e = "tx" + id + "-" + seq++;
                    Transaction t = j.multi();
                    Response<Long> incr = t.incr("tx:a");
                    Response<Long> push = t.rpush("tx:b", e);
                    List<Object> replies = t.exec();
                    if (replies == null) throw new AssertionError("EXEC without WATCH returned nil");
                    a.txs.add(new Tx(incr.get(), push.get(), e));
                }
                a.count++;
                acked.incrementAndGet();
            }
        } catch (JedisConnectionException e) {
            a.end = e;
            a.endedBeforeKill = !killed.get();
        } catch (RuntimeException | Error e) {
            a.end = e;
            // An error reply or anything else is a failure, unless the server is already gone.
            a.endedBeforeKill = !killed.get();
        }
    }

    /**
     * Strict: every acknowledged write is there. Not strict: what is there is a consistent prefix
     * (each acknowledged RPUSH either sits at the position its reply named or its list ends before
     * that position; likewise for transactions), and the missing acknowledged writes are counted.
     */
    private static void verify(Jedis j, List<Acks> acks, String policy, boolean strict) {
        String what = "appendfsync " + policy + ": ";
        long lost = 0;
        for (int k = 0; k < COUNTERS; k++) {
            long maxAcked = 0;
            for (Acks a : acks) maxAcked = Math.max(maxAcked, a.maxIncr[k]);
            String v = j.get("counter:" + k);
            long recovered = v == null ? 0 : Long.parseLong(v);
            if (strict) {
                assertThat(recovered).as(what + "counter:%d after restart vs the highest acknowledged INCR", k)
                        .isGreaterThanOrEqualTo(maxAcked);
            } else {
                lost += Math.max(0, maxAcked - recovered);
            }
        }
        Map<Integer, List<String>> lists = new TreeMap<>();
        for (int l = 0; l < LISTS; l++) {
            List<String> got = j.lrange("list:" + l, 0, -1);
            assertThat(new HashSet<>(got)).as(what + "list:%d has no duplicate element", l).hasSameSizeAs(got);
            lists.put(l, got);
        }
        long pushes = 0;
        for (Acks a : acks) {
            for (Push p : a.pushes) {
                List<String> got = lists.get(p.list());
                if (strict) {
                    assertThat(got.size()).as(what + "length of list:%d vs acknowledged RPUSH reply %d for %s", p.list(),
                            p.length(), p.element()).isGreaterThanOrEqualTo((int) p.length());
                } else if (got.size() < p.length()) {
                    lost++;
                    continue;
                }
                assertThat(got.get((int) p.length() - 1)).as(what + "element at the position RPUSH acknowledged in list:%d",
                        p.list()).isEqualTo(p.element());
                pushes++;
            }
        }
        String txA = j.get("tx:a");
        long a = txA == null ? 0 : Long.parseLong(txA);
        List<String> b = j.lrange("tx:b", 0, -1);
        assertThat(a).as(what + "tx:a equals the length of tx:b: every transaction applied whole or not at all")
                .isEqualTo(b.size());
        Set<String> seen = new HashSet<>(b);
        assertThat(seen).as(what + "tx:b has no duplicate element").hasSameSizeAs(b);
        long txs = 0;
        for (Acks ac : acks) {
            for (Tx t : ac.txs) {
                assertThat(t.a()).as(what + "EXEC replies (INCR tx:a, RPUSH tx:b) agree").isEqualTo(t.bLength());
                if (strict) {
                    assertThat(a).as(what + "tx:a vs acknowledged EXEC").isGreaterThanOrEqualTo(t.a());
                } else if (b.size() < t.bLength()) {
                    lost++;
                    continue;
                }
                assertThat(b.get((int) t.bLength() - 1)).as(what + "tx:b at the acknowledged position").isEqualTo(t.element());
                txs++;
            }
        }
        System.out.printf("appendfsync %s: verified %d RPUSH and %d EXEC acknowledgements; recovered tx:a=%d; "
                + "acknowledged writes missing: %s%n", policy, pushes, txs, a, strict ? "none (strict)" : lost);
    }
}
