package lossmeter.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lossmeter.testsupport.Requirements;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** Our server with the real Redis tools (redis-cli, redis-benchmark) and with Jedis. */
@Tag("integration")
class PeerToolsIT {
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    static Path dir;
    private static ServerProcess server;

    @BeforeAll
    static void startServer() throws IOException {
        server = ServerProcess.in(dir.resolve("main")).appendonly("everysec").start();
    }

    @AfterAll
    static void stopServer() {
        if (server == null) return;
        try {
            if (server.isAlive()) assertThat(server.stop()).as("SHUTDOWN exit status").isZero();
        } finally {
            server.close();
        }
    }

    private static String cli(String... args) throws IOException {
        Requirements.requireCommand("redis-cli");
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(server.port())));
        cmd.addAll(List.of(args));
        return ChildProcess.run(TOOL_TIMEOUT, cmd).strip();
    }

    @Test
    void redisCli() throws IOException {
        assertThat(cli("ping")).isEqualTo("PONG");
        assertThat(cli("set", "cli:key", "hello world")).isEqualTo("OK");
        assertThat(cli("get", "cli:key")).isEqualTo("hello world");
        assertThat(cli("get", "cli:missing")).isEmpty();
        assertThat(cli("incr", "cli:n")).isEqualTo("1");
        assertThat(cli("incr", "cli:n")).isEqualTo("2");
        assertThat(cli("rpush", "cli:list", "a", "b", "c")).isEqualTo("3");
        assertThat(cli("lrange", "cli:list", "0", "-1").lines().toList()).containsExactly("a", "b", "c");
        assertThat(cli("incr", "cli:list")).contains("WRONGTYPE");
        String info = cli("info", "persistence");
        assertThat(info.lines().toList()).contains("# Persistence", "aof_enabled:1", "aof_last_write_status:ok", "loading:0");
    }

    @Test
    void redisBenchmark() throws IOException {
        Requirements.requireCommand("redis-benchmark");
        ChildProcess.Result r = ChildProcess.runForResult(TOOL_TIMEOUT, List.of("redis-benchmark", "-p",
                Integer.toString(server.port()), "-t", "ping,set,get,incr,lpush,rpush,lpop,rpop,lrange_100,mset", "-q",
                "-n", "2000", "-c", "20"));
        // Progress is redrawn with carriage returns: every \r starts a line of its own.
        List<String> lines = r.output().replace("\r", "\n").lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        System.out.println("redis-benchmark output:\n" + String.join("\n", lines.stream().filter(l -> l.contains("requests per second")).toList()));
        assertThat(r.status()).as("redis-benchmark exit status; output:\n%s", r.output()).isZero();
        assertThat(lines).as("redis-benchmark output lines reporting an error")
                .noneMatch(l -> l.contains("ERR") || l.contains("error") || l.contains("Error"));
        String joined = String.join("\n", lines);
        for (String test : List.of("PING_MBULK", "SET", "GET", "INCR", "LPUSH", "RPUSH", "LPOP", "RPOP", "LRANGE_100", "MSET")) {
            assertThat(lines).as("a result line for %s in:\n%s", test, joined)
                    .anyMatch(l -> l.startsWith(test) && l.contains("requests per second"));
        }
    }

    @Test
    void jedisStringsPipelineAndTransaction() {
        try (Jedis j = server.jedis()) {
            assertThat(j.set("j:s", "v1")).isEqualTo("OK");
            assertThat(j.get("j:s")).isEqualTo("v1");
            assertThat(j.incr("j:n")).isEqualTo(1);
            assertThat(j.incrBy("j:n", 41)).isEqualTo(42);

            Pipeline p = j.pipelined();
            List<Response<Long>> incrs = new ArrayList<>();
            for (int i = 0; i < 100; i++) incrs.add(p.incr("j:pipe"));
            Response<String> get = p.get("j:pipe");
            p.sync();
            for (int i = 0; i < 100; i++) assertThat(incrs.get(i).get()).isEqualTo(i + 1);
            assertThat(get.get()).isEqualTo("100");

            Transaction t = j.multi();
            Response<String> set = t.set("j:tx", "x");
            Response<Long> incr = t.incr("j:txn");
            Response<Long> push = t.rpush("j:txl", "a", "b");
            Response<String> read = t.get("j:tx");
            List<Object> replies = t.exec();
            assertThat(replies).hasSize(4);
            assertThat(set.get()).isEqualTo("OK");
            assertThat(incr.get()).isEqualTo(1);
            assertThat(push.get()).isEqualTo(2);
            assertThat(read.get()).isEqualTo("x");

            Transaction bad = j.multi();
            bad.set("j:never", "1");
            bad.incr("j:tx"); // fails at EXEC time (not an integer), the SET still runs: Redis has no rollback
            List<Object> mixed = bad.exec();
            assertThat(mixed).hasSize(2);
            assertThat(mixed.get(1)).isInstanceOf(JedisDataException.class);
            assertThat(j.get("j:never")).isEqualTo("1");
        }
    }

    @Test
    void jedisInfoAndConfigGet() {
        try (Jedis j = server.jedis()) {
            String info = j.info();
            assertThat(info).contains("# Server", "redis_version:", "# Persistence", "aof_enabled:1", "# Keyspace");
            assertThat(j.info("persistence")).contains("aof_last_write_status:ok").doesNotContain("# Server");
            Map<String, String> cfg = j.configGet("appendfsync");
            assertThat(cfg).containsExactly(Map.entry("appendfsync", "everysec"));
            assertThat(j.configGet("append*")).containsKeys("appendonly", "appendfsync", "appendfilename");
        }
    }

    @Test
    void jedisSelect() {
        try (Jedis j = server.jedis()) {
            j.select(2);
            j.set("select:key", "in-db-2");
            j.select(0);
            assertThat(j.get("select:key")).isNull();
            j.select(2);
            assertThat(j.get("select:key")).isEqualTo("in-db-2");
            assertThatThrownBy(() -> j.select(16)).isInstanceOf(JedisDataException.class).hasMessageContaining("DB index is out of range");
            j.select(0);
        }
    }

    @Test
    void jedisScanIteratesEveryKeyOnce() {
        try (Jedis j = server.jedis()) {
            j.select(5);
            Set<String> want = new HashSet<>();
            for (int i = 0; i < 600; i++) {
                String k = (i % 3 == 0 ? "scan:a:" : "scan:b:") + i;
                j.set(k, "v");
                want.add(k);
            }
            List<String> seen = new ArrayList<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            int calls = 0;
            do {
                ScanResult<String> r = j.scan(cursor, new ScanParams().count(50));
                seen.addAll(r.getResult());
                cursor = r.getCursor();
                calls++;
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START) && calls < 10_000);
            assertThat(calls).as("SCAN calls").isGreaterThan(1).isLessThan(10_000);
            assertThat(new HashSet<>(seen)).isEqualTo(want);

            Set<String> matched = new HashSet<>();
            cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> r = j.scan(cursor, new ScanParams().match("scan:a:*").count(100));
                matched.addAll(r.getResult());
                cursor = r.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            assertThat(matched).hasSize(200).allMatch(k -> k.startsWith("scan:a:"));
            j.flushDB();
            j.select(0);
        }
    }

    @Test
    void jedisAuthWithRequirepass() throws IOException {
        try (ServerProcess secured = ServerProcess.in(dir.resolve("auth")).directive("requirepass", "s3cret").start();
             Jedis j = secured.jedis()) {
            assertThatThrownBy(() -> j.set("k", "v")).isInstanceOf(JedisDataException.class).hasMessageContaining("NOAUTH");
            assertThatThrownBy(() -> j.auth("wrong")).isInstanceOf(JedisDataException.class).hasMessageContaining("WRONGPASS");
            assertThat(j.auth("s3cret")).isEqualTo("OK");
            assertThat(j.set("k", "v")).isEqualTo("OK");
            assertThat(j.get("k")).isEqualTo("v");
            try (Jedis other = secured.jedis()) {
                assertThatThrownBy(other::ping).isInstanceOf(JedisDataException.class).hasMessageContaining("NOAUTH");
                assertThat(other.auth("default", "s3cret")).isEqualTo("OK");
                assertThat(other.get("k")).isEqualTo("v");
            }
            try (Jedis anonymous = secured.jedis()) {
                assertThatThrownBy(() -> anonymous.sendCommand(Protocol.Command.SHUTDOWN))
                        .isInstanceOf(JedisDataException.class).hasMessageContaining("NOAUTH");
            }
            assertThat(secured.isAlive()).isTrue();
            try {
                j.sendCommand(Protocol.Command.SHUTDOWN);
            } catch (JedisConnectionException expected) {
                // SHUTDOWN closes the connection instead of replying.
            }
            assertThat(secured.awaitExit(Duration.ofSeconds(30))).as("exit status after SHUTDOWN").isZero();
        }
    }
}
