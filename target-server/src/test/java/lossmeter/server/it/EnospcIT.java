package lossmeter.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The disk fills up under the AOF. The server's dir is a 2 MiB tmpfs in a private mount
 * namespace, mostly taken by a filler file; removing the filler gives the space back. Under
 * {@code always} the server must exit; under {@code everysec} it must refuse writes with MISCONF
 * and resume by itself once the space is back. Either way no acknowledged write may be missing.
 */
@Tag("integration")
class EnospcIT {
    private static final String MISCONF = "MISCONF Errors writing to the AOF file: No space left on device";
    private static final String VALUE = "v".repeat(1024);
    /** Far more writes than the free space holds: reaching it means the disk never filled. */
    private static final int MAX_WRITES = 5000;

    private static ServerProcess startIn(TmpfsNamespace ns, String policy, Path logDir, String name) throws Exception {
        ServerProcess s = ServerProcess.in(ns.mountPoint()).appendonly(policy).wrappedIn(ns.nsenter())
                .logTo(logDir.resolve(name + ".log")).start();
        String cmd = ProcessHandle.of(s.pid()).flatMap(h -> h.info().command()).orElse("?");
        assertThat(cmd).as("the PID we hold is the java server itself (nsenter execs, it does not fork)").endsWith("java");
        return s;
    }

    private static String value(int i) {
        return i + ":" + VALUE;
    }

    @Test
    void alwaysExitsWithStatus1AndKeepsEveryAcknowledgedWrite(@TempDir Path mnt, @TempDir Path work) throws Exception {
        Map<String, String> acked = new LinkedHashMap<>();
        try (TmpfsNamespace ns = TmpfsNamespace.create(mnt, "2m", 1900, work)) {
            try (ServerProcess s = startIn(ns, "always", work, "always-1"); Jedis j = s.jedis()) {
                Throwable end = null;
                for (int i = 0; i < MAX_WRITES && end == null; i++) {
                    try {
                        assertThat(j.set("k" + i, value(i))).isEqualTo("OK");
                        acked.put("k" + i, value(i));
                    } catch (JedisConnectionException e) {
                        end = e;
                    }
                }
                assertThat(end).as("the server went away once the disk was full (%d writes acknowledged); log:\n%s",
                        acked.size(), s.log()).isNotNull();
                assertThat(s.awaitExit(Duration.ofSeconds(30))).as("exit status; log:\n%s", s.log()).isEqualTo(1);
                assertThat(s.log()).contains("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
            }
            assertThat(acked).as("writes acknowledged before the disk filled").hasSizeGreaterThan(10);

            ns.exec("rm", mnt.resolve("filler").toString());
            try (ServerProcess s = startIn(ns, "always", work, "always-2"); Jedis j = s.jedis()) {
                assertThat(s.log()).contains("DB loaded from append only file")
                        .as("the short write was taken back: the file ends on a whole command").doesNotContain("short read");
                for (var e : acked.entrySet()) {
                    assertThat(j.get(e.getKey())).as("acknowledged write of %s", e.getKey()).isEqualTo(e.getValue());
                }
                assertThat(j.dbSize()).as("keys: the acknowledged ones, plus at most the one in flight at the failure")
                        .isBetween((long) acked.size(), (long) acked.size() + 1);
                s.kill();
            }
        }
    }

    /**
     * everysec: the write that runs into the full disk is executed but its bytes stay in the AOF
     * buffer, so its reply is held (no acknowledgement for unpersisted data: the client times out,
     * an unknown outcome); every later write, and PING, is refused with MISCONF; reads still work;
     * when space returns the buffer is written, the error state ends and writes go on.
     */
    @Test
    void everysecRefusesWritesWithMisconfAndResumesWhenSpaceIsBack(@TempDir Path mnt, @TempDir Path work) throws Exception {
        Map<String, String> acked = new LinkedHashMap<>();
        List<String> refused = new java.util.ArrayList<>();
        String unknown = null;
        try (TmpfsNamespace ns = TmpfsNamespace.create(mnt, "2m", 1900, work)) {
            try (ServerProcess s = startIn(ns, "everysec", work, "everysec-1"); Jedis j = s.jedis(Duration.ofSeconds(2));
                 Jedis other = s.jedis()) {
                int i = 0;
                for (; i < MAX_WRITES && unknown == null; i++) {
                    try {
                        j.set("k" + i, value(i));
                        acked.put("k" + i, value(i));
                    } catch (redis.clients.jedis.exceptions.JedisConnectionException e) {
                        unknown = "k" + i; // held: its bytes never reached the file while the disk was full
                    } catch (JedisDataException e) {
                        // A write refused outright is also fine: the error state came from an earlier write.
                        assertThat(e.getMessage()).isEqualTo(MISCONF);
                        refused.add("k" + i);
                        break;
                    }
                }
                assertThat(unknown != null || !refused.isEmpty()).as("the full disk stopped the writes (%d acknowledged); log:\n%s",
                        acked.size(), s.log()).isTrue();
                assertThat(acked).as("writes acknowledged before the disk filled").hasSizeGreaterThan(10);
                assertThat(other.info("persistence")).contains("aof_last_write_status:err");
                assertThat(s.log()).containsAnyOf("Short write while writing to the AOF file", "Error writing to the AOF file");

                // While in error: more writes are refused, PING too, reads still work.
                for (int k = 0; k < 5; k++, i++) {
                    String key = "k" + i;
                    String v = value(i);
                    assertThatThrownBy(() -> other.set(key, v)).isInstanceOf(JedisDataException.class).hasMessage(MISCONF);
                    refused.add(key);
                }
                assertThatThrownBy(other::ping).isInstanceOf(JedisDataException.class).hasMessage(MISCONF);
                String firstKey = acked.keySet().iterator().next();
                assertThat(other.get(firstKey)).isEqualTo(acked.get(firstKey));
                assertThat(s.isAlive()).isTrue();

                ns.exec("rm", mnt.resolve("filler").toString());
                await("the server to notice the space is back").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                        .until(() -> s.log().contains("AOF write error looks solved, Redis can write again."));
                assertThat(other.info("persistence")).contains("aof_last_write_status:ok");
                assertThat(other.ping()).isEqualTo("PONG");
                for (int k = 0; k < 200; k++, i++) {
                    assertThat(other.set("k" + i, value(i))).isEqualTo("OK");
                    acked.put("k" + i, value(i));
                }
                assertThat(other.incr("after")).isEqualTo(1);
                acked.put("after", "1");
                s.kill();
            }
            System.out.printf("EnospcIT everysec: %d writes acknowledged, %d refused with MISCONF%n", acked.size(), refused.size());

            try (ServerProcess s = startIn(ns, "everysec", work, "everysec-2"); Jedis j = s.jedis()) {
                assertThat(s.log()).contains("DB loaded from append only file");
                for (var e : acked.entrySet()) {
                    assertThat(j.get(e.getKey())).as("acknowledged write of %s", e.getKey()).isEqualTo(e.getValue());
                }
                for (String k : refused) assertThat(j.exists(k)).as("write refused with MISCONF: %s", k).isFalse();
                long extra = unknown != null && j.exists(unknown) ? 1 : 0;
                assertThat(j.dbSize()).as("acknowledged keys, plus the held one if its write went through").isEqualTo(acked.size() + extra);
                s.kill();
            }
            ns.copyOut("appendonly.aof", work.resolve("copy.aof"));
            AofFile file = AofFile.read(work.resolve("copy.aof"));
            assertThat(file.commands()).as("the AOF parses as whole commands").hasSizeGreaterThan(acked.size());
        }
    }
}
