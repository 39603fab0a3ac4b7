package lossmeter.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Crashes around background saves: SIGKILL at many points of a rewrite (slowed with
 * rdb-key-save-delay) keeps every acknowledged write; concurrent INCRs during a rewrite are all
 * counted before and after a restart; a killed BGSAVE leaves the previous dump; leftover temp
 * files are removed at start.
 */
@Tag("integration")
class RewriteCrashIT {
    private static final int KEYS = 3000;

    /** With a preamble under everysec, without under always: both ways of ending a rewrite (fsyncs on the loop or not). */
    private static ServerProcess start(Path dir, String preamble) throws Exception {
        return ServerProcess.in(dir).appendonly(preamble.equals("yes") ? "everysec" : "always").directive("save", "")
                .directive("aof-use-rdb-preamble", preamble).directive("rdb-key-save-delay", "2000").start();
    }

    private static void fill(Jedis j) {
        Pipeline p = j.pipelined();
        for (int i = 0; i < KEYS; i++) {
            if (i % 3 == 0) p.rpush("list" + i, "a", "b", "c");
            else p.set("key" + i, "value" + i);
        }
        p.sync();
    }

    /** One writer, one op in flight: INCR of a counter and RPUSH of its value; remembers the last acknowledged value. */
    private static Thread writer(ServerProcess s, AtomicLong acked) {
        Thread t = new Thread(() -> {
            try (Jedis j = s.jedis()) {
                while (true) {
                    long v = j.incr("counter");
                    j.rpush("log", Long.toString(v));
                    acked.set(v);
                }
            } catch (JedisException e) {
                // The server was killed: the writer's job is over.
            }
        }, "writer");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Kill points, as acknowledged writes after BGREWRITEAOF replied: at once, early, in the
     * middle, late, and after the rewrite finished (-1). The rewrite of 3000 keys at 2 ms each
     * lasts about 6 s, far longer than the writes before the last kill point take even under always.
     */
    @ParameterizedTest(name = "kill after {0} acknowledged writes")
    @ValueSource(longs = {0, 50, 400, 1500, -1})
    void aKillAtAnyPointOfARewriteLosesNoAcknowledgedWrite(long killAfter, @TempDir Path dir) throws Exception {
        for (String preamble : List.of("yes", "no")) {
            Path d = Files.createDirectories(dir.resolve(preamble));
            AtomicLong acked = new AtomicLong();
            try (ServerProcess s = start(d, preamble); Jedis j = s.jedis()) {
                fill(j);
                Thread w = writer(s, acked);
                await().atMost(Duration.ofSeconds(30)).until(() -> acked.get() >= 10);
                long atStart = acked.get();
                assertThat(j.bgrewriteaof()).isEqualTo("Background append only file rewriting started");
                if (killAfter >= 0) {
                    await().atMost(Duration.ofSeconds(60)).until(() -> acked.get() >= atStart + killAfter);
                    assertThat(j.info("persistence")).as("the kill falls inside the rewrite").contains("aof_rewrite_in_progress:1");
                } else {
                    await().atMost(Duration.ofSeconds(60)).until(() -> j.info("persistence").contains("aof_rewrite_in_progress:0"));
                    long after = acked.get();
                    await().atMost(Duration.ofSeconds(30)).until(() -> acked.get() >= after + 100);
                }
                s.kill();
                w.join(Duration.ofSeconds(10));
            }
            long last = acked.get();
            try (ServerProcess s = start(d, preamble); Jedis j = s.jedis()) {
                if (killAfter >= 0) assertThat(s.log()).contains("Removed leftover temp AOF rewrite file temp-rewriteaof-");
                try (Stream<Path> files = Files.list(d)) {
                    assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("temp-"));
                }
                long counter = Long.parseLong(j.get("counter"));
                assertThat(counter).as("counter after restart (last acknowledged %d, preamble %s)", last, preamble)
                        .isBetween(last, last + 1);
                List<String> log = j.lrange("log", 0, -1);
                assertThat(log.size()).as("pushes survived").isGreaterThanOrEqualTo((int) last);
                for (int i = 0; i < last; i++) assertThat(log.get(i)).isEqualTo(Long.toString(i + 1));
                assertThat(j.dbSize()).isEqualTo(KEYS + 2);
                s.kill();
            }
        }
    }

    @Test
    void twentyClientsIncrementingDuringARewriteCountEveryIncrement(@TempDir Path dir) throws Exception {
        int clients = 20, each = 20_000;
        try (ServerProcess s = ServerProcess.in(dir).appendonly("everysec").directive("save", "")
                .directive("rdb-key-save-delay", "100").start(); Jedis j = s.jedis()) {
            Pipeline fillP = j.pipelined();
            for (int i = 0; i < 20_000; i++) fillP.set("filler" + i, "x");
            fillP.sync();
            assertThat(j.bgrewriteaof()).isEqualTo("Background append only file rewriting started");
            List<Thread> threads = new ArrayList<>();
            List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int c = 0; c < clients; c++) {
                Thread t = new Thread(() -> {
                    try (Jedis cj = s.jedis()) {
                        for (int batch = 0; batch < each / 100; batch++) {
                            Pipeline p = cj.pipelined();
                            List<Response<Long>> rs = new ArrayList<>();
                            for (int k = 0; k < 100; k++) rs.add(p.incr("total"));
                            p.sync();
                            for (Response<Long> r : rs) assertThat(r.get()).isPositive();
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                t.start();
                threads.add(t);
            }
            assertThat(j.info("persistence")).as("the increments run during the rewrite").contains("aof_rewrite_in_progress:1");
            for (Thread t : threads) t.join(Duration.ofMinutes(5));
            assertThat(errors).isEmpty();
            assertThat(j.get("total")).isEqualTo("400000");
            await().atMost(Duration.ofSeconds(120)).until(() -> j.info("persistence").contains("aof_rewrite_in_progress:0"));
            assertThat(j.info("persistence")).contains("aof_last_bgrewrite_status:ok");
            s.kill();
        }
        try (ServerProcess s = ServerProcess.in(dir).appendonly("everysec").directive("save", "").start(); Jedis j = s.jedis()) {
            assertThat(j.get("total")).isEqualTo("400000");
            s.kill();
        }
    }

    @Test
    void aKilledBgsaveLeavesThePreviousDump(@TempDir Path dir) throws Exception {
        byte[] previous;
        try (ServerProcess s = ServerProcess.in(dir).directive("save", "").directive("rdb-key-save-delay", "1000").start();
             Jedis j = s.jedis()) {
            j.set("before", "1");
            j.rpush("list", "a", "b");
            assertThat(j.save()).isEqualTo("OK");
            previous = Files.readAllBytes(dir.resolve("dump.rdb"));
            fill(j);
            assertThat(j.bgsave()).isEqualTo("Background saving started");
            assertThat(j.info("persistence")).contains("rdb_bgsave_in_progress:1");
            assertThatThrownBy(j::bgsave).hasMessage("ERR Background save already in progress");
            Path temp = dir.resolve("temp-bg-" + s.pid() + ".rdb");
            await("the BGSAVE to be writing").atMost(Duration.ofSeconds(30))
                    .until(() -> Files.exists(temp));
            s.kill();
        }
        assertThat(Files.readAllBytes(dir.resolve("dump.rdb"))).as("dump.rdb after the kill").isEqualTo(previous);
        try (ServerProcess s = ServerProcess.in(dir).directive("save", "").start(); Jedis j = s.jedis()) {
            assertThat(s.log()).contains("Removed leftover temp RDB file temp-bg-");
            assertThat(j.dbSize()).isEqualTo(2);
            assertThat(j.lrange("list", 0, -1)).containsExactly("a", "b");
            s.kill();
        }
    }

    /** A rewrite that cannot write its temp file: status err, the old AOF keeps receiving writes and is what a restart loads. */
    @Test
    void aFailedRewriteLeavesTheOldAofAuthoritative(@TempDir Path dir) throws Exception {
        try (ServerProcess s = ServerProcess.in(dir).appendonly("always").directive("save", "").start(); Jedis j = s.jedis()) {
            fill(j);
            // The temp file's name is taken by a non-empty directory: opening it fails, as an unwritable dir would
            // (the tests may run as root, for whom permissions do not fail).
            Files.createDirectories(dir.resolve("temp-rewriteaof-" + s.pid() + ".aof").resolve("x"));
            assertThat(j.bgrewriteaof()).isEqualTo("Background append only file rewriting started");
            await().atMost(Duration.ofSeconds(30)).until(() -> j.info("persistence").contains("aof_rewrite_in_progress:0"));
            assertThat(j.info("persistence")).contains("aof_last_bgrewrite_status:err");
            assertThat(s.log()).contains("Background AOF rewrite terminated with error");
            j.set("after-failure", "kept");
            s.kill();
            Files.delete(dir.resolve("temp-rewriteaof-" + s.pid() + ".aof").resolve("x"));
        }
        try (ServerProcess s = ServerProcess.in(dir).appendonly("always").directive("save", "").start(); Jedis j = s.jedis()) {
            assertThat(j.get("after-failure")).isEqualTo("kept");
            assertThat(j.dbSize()).isEqualTo(KEYS + 1);
            s.kill();
        }
    }

    /** The rewrite meets a full disk (tmpfs in a private mount namespace): status err, nothing lost, the temp file gone. */
    @Test
    void aRewriteThatRunsOutOfSpaceFailsCleanly(@TempDir Path mnt, @TempDir Path work) throws Exception {
        try (TmpfsNamespace ns = TmpfsNamespace.create(mnt, "4m", 2400, work)) {
            String value = "v".repeat(1000);
            try (ServerProcess s = ServerProcess.in(ns.mountPoint()).appendonly("always").directive("save", "")
                    .directive("aof-use-rdb-preamble", "no").wrappedIn(ns.nsenter()).logTo(work.resolve("s1.log")).start();
                 Jedis j = s.jedis()) {
                for (int i = 0; i < 1000; i++) j.set("k" + i, i + value);
                assertThat(j.bgrewriteaof()).isEqualTo("Background append only file rewriting started");
                await().atMost(Duration.ofSeconds(30)).until(() -> j.info("persistence").contains("aof_rewrite_in_progress:0"));
                assertThat(j.info("persistence")).contains("aof_last_bgrewrite_status:err");
                assertThat(s.log()).contains("No space left on device");
                assertThat(ns.exec("ls", mnt.toString())).as("files on the tmpfs").doesNotContain("temp-");
                assertThat(j.set("after", "ok")).isEqualTo("OK");
                s.kill();
            }
            try (ServerProcess s = ServerProcess.in(ns.mountPoint()).appendonly("always").directive("save", "")
                    .wrappedIn(ns.nsenter()).logTo(work.resolve("s2.log")).start(); Jedis j = s.jedis()) {
                assertThat(j.dbSize()).isEqualTo(1001);
                assertThat(j.get("k999")).isEqualTo(999 + value);
                s.kill();
            }
        }
    }
}
