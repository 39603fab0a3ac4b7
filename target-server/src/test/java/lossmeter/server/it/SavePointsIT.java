package lossmeter.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * What runs by itself or at exit: timed save points start a BGSAVE from the cron, an AOF that
 * grew past auto-aof-rewrite-min-size and -percentage is rewritten, SHUTDOWN saves when save
 * points exist (not with NOSAVE), and CONFIG SET appendonly yes creates the AOF with a rewrite.
 */
@Tag("integration")
class SavePointsIT {
    @Test
    void aSavePointStartsABgsave(@TempDir Path dir) throws Exception {
        try (ServerProcess s = ServerProcess.in(dir).directive("save", "1", "2").start(); Jedis j = s.jedis()) {
            long before = j.lastsave();
            j.set("a", "1");
            assertThat(j.info("persistence")).contains("rdb_changes_since_last_save:1");
            j.set("b", "2");
            await("the save point to fire").atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dir.resolve("dump.rdb")));
            await().atMost(Duration.ofSeconds(30)).until(() -> j.info("persistence").contains("rdb_bgsave_in_progress:0"));
            assertThat(s.log()).contains("2 changes in 1 seconds. Saving...").contains("Background saving terminated with success");
            assertThat(j.info("persistence")).contains("rdb_changes_since_last_save:0").contains("rdb_last_bgsave_status:ok");
            assertThat(j.lastsave()).isGreaterThanOrEqualTo(before);
            s.kill();
        }
        try (ServerProcess s = ServerProcess.in(dir).directive("save", "").start(); Jedis j = s.jedis()) {
            assertThat(j.get("b")).isEqualTo("2");
            s.kill();
        }
    }

    @Test
    void shutdownSavesWithSavePointsButNotWithNosave(@TempDir Path dir) throws Exception {
        try (ServerProcess s = ServerProcess.in(dir).directive("save", "3600", "1").start(); Jedis j = s.jedis()) {
            j.set("kept", "1");
            try {
                j.sendCommand(Protocol.Command.SHUTDOWN, "NOSAVE");
            } catch (JedisConnectionException expected) {
                // SHUTDOWN closes the connection instead of replying.
            }
            assertThat(s.awaitExit(Duration.ofSeconds(30))).isZero();
        }
        assertThat(Files.exists(dir.resolve("dump.rdb"))).as("SHUTDOWN NOSAVE writes no dump").isFalse();
        try (ServerProcess s = ServerProcess.in(dir).directive("save", "3600", "1").start(); Jedis j = s.jedis()) {
            j.set("kept", "2");
            assertThat(s.stop()).isZero();
            assertThat(s.log()).contains("Saving the final RDB snapshot before exiting.").contains("DB saved on disk");
        }
        try (ServerProcess s = ServerProcess.in(dir).directive("save", "").start(); Jedis j = s.jedis()) {
            assertThat(j.get("kept")).isEqualTo("2");
            s.kill();
        }
    }

    @Test
    void aShutdownWhoseSaveFailsKeepsTheServerRunning(@TempDir Path dir) throws Exception {
        try (ServerProcess s = ServerProcess.in(dir).directive("save", "3600", "1").start(); Jedis j = s.jedis()) {
            j.set("a", "1");
            // dump.rdb is a non-empty directory: the rename of the save fails.
            Files.createDirectories(dir.resolve("dump.rdb").resolve("x"));
            assertThatThrownBy(() -> j.sendCommand(Protocol.Command.SHUTDOWN)).hasMessage("ERR Errors trying to SHUTDOWN. Check logs.");
            assertThat(j.ping()).isEqualTo("PONG");
            s.kill();
        }
    }

    @Test
    void anAofThatGrewIsRewrittenAutomatically(@TempDir Path dir) throws Exception {
        try (ServerProcess s = ServerProcess.in(dir).appendonly("everysec").directive("save", "")
                .directive("auto-aof-rewrite-min-size", "64kb").directive("auto-aof-rewrite-percentage", "100").start();
             Jedis j = s.jedis()) {
            for (int i = 0; i < 2000; i++) j.set("same-key", "value-" + i);
            await("an automatic rewrite").atMost(Duration.ofSeconds(30))
                    .until(() -> field(j.info("persistence"), "aof_rewrites") >= 1 && j.info("persistence").contains("aof_rewrite_in_progress:0"));
            assertThat(s.log()).contains("Starting automatic rewriting of AOF on").contains("Background AOF rewrite finished successfully");
            // The base is one key plus the SETs that arrived while the rewrite ran: far less than the ~90 kB written.
            assertThat(field(j.info("persistence"), "aof_base_size")).as("size right after the last rewrite").isLessThan(48 * 1024);
            s.kill();
        }
        try (ServerProcess s = ServerProcess.in(dir).appendonly("everysec").directive("save", "").start(); Jedis j = s.jedis()) {
            assertThat(j.get("same-key")).isEqualTo("value-1999");
            s.kill();
        }
    }

    @Test
    void appendonlyTurnedOnAtRuntimeCreatesTheAof(@TempDir Path dir) throws Exception {
        try (ServerProcess s = ServerProcess.in(dir).directive("save", "").start(); Jedis j = s.jedis()) {
            j.set("before", "1");
            j.rpush("list", "a", "b");
            assertThat(j.configSet("appendonly", "yes")).isEqualTo("OK");
            j.set("during", "2");
            await().atMost(Duration.ofSeconds(30)).until(() -> j.info("persistence").contains("aof_rewrite_in_progress:0"));
            assertThat(j.info("persistence")).contains("aof_enabled:1").contains("aof_last_bgrewrite_status:ok");
            j.rpush("list", "c");
            s.kill();
        }
        try (ServerProcess s = ServerProcess.in(dir).appendonly("everysec").directive("save", "").start(); Jedis j = s.jedis()) {
            assertThat(j.get("before")).isEqualTo("1");
            assertThat(j.get("during")).isEqualTo("2");
            assertThat(j.lrange("list", 0, -1)).containsExactly("a", "b", "c");
            s.kill();
        }
    }

    private static long field(String info, String name) {
        for (String line : info.split("\r\n")) {
            if (line.startsWith(name + ":")) return Long.parseLong(line.substring(name.length() + 1));
        }
        throw new AssertionError("no " + name + " in INFO:\n" + info);
    }
}
