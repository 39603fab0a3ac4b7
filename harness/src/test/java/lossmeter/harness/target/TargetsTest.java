package lossmeter.harness.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import lossmeter.faults.target.Policy;
import lossmeter.harness.node.LocalNode;

class TargetsTest {
    @Test
    void parsesEveryKind() {
        assertThat(Targets.parse("bundled").spec()).isEqualTo("bundled");
        assertThat(Targets.parse("redis").spec()).isEqualTo("redis");
        assertThat(Targets.parse("redis:/opt/redis/bin/redis-server").spec()).isEqualTo("redis:/opt/redis/bin/redis-server");
        assertThat(Targets.parse("cmd:./srv --port {port}").spec()).isEqualTo("cmd:./srv --port {port}");
    }

    @Test
    void refusesUnknownOrEmptySpecs() {
        assertThatThrownBy(() -> Targets.parse("memcached")).isInstanceOf(TargetConfigException.class).hasMessageContaining("unknown target");
        assertThatThrownBy(() -> Targets.parse("")).isInstanceOf(TargetConfigException.class);
        assertThatThrownBy(() -> Targets.parse("redis:")).isInstanceOf(TargetConfigException.class);
    }

    @Test
    void aCommandTemplateNeedsAPortPlaceholderAndAProgramThatExists() {
        try (LocalNode node = new LocalNode()) {
            assertThatThrownBy(() -> Targets.cmd("./srv --dir {dir}").validate(node)).isInstanceOf(TargetConfigException.class)
                    .hasMessageContaining("{port}");
            assertThatThrownBy(() -> Targets.cmd("  ").validate(node)).isInstanceOf(TargetConfigException.class);
            assertThatThrownBy(() -> Targets.cmd("/no/such/server --port {port}").validate(node))
                    .isInstanceOf(TargetConfigException.class).hasMessageContaining("not an executable file");
            assertThatThrownBy(() -> Targets.cmd("no-such-server-anywhere --port {port}").validate(node))
                    .isInstanceOf(TargetConfigException.class).hasMessageContaining("not on the PATH");
            Targets.cmd("sleep 1000 # {port}").validate(node);
            Targets.cmd("exec ./whatever --port {port}").validate(node);
            Targets.cmd("FOO=1 ./whatever --port {port}").validate(node);
        }
    }

    @Test
    void aMissingRedisBinaryIsAConfigError() {
        try (LocalNode node = new LocalNode()) {
            assertThatThrownBy(() -> Targets.redis(Path.of("/no/such/redis-server")).validate(node))
                    .isInstanceOf(TargetConfigException.class).hasMessageContaining("/no/such/redis-server");
        }
    }

    @Test
    void rendersTemplatesWithQuotedValues() {
        assertThat(CommandTarget.render("srv --port {port} --dir {dir} --appendfsync {fsync}", 7000, "127.0.0.1", Path.of("/tmp/a b"), Policy.EVERYSEC))
                .isEqualTo("srv --port 7000 --dir '/tmp/a b' --appendfsync everysec");
        assertThat(CommandTarget.render("srv -p {port} -b {bind} -d {dir}", 1, "127.0.0.2", Path.of("/tmp/plain"), Policy.NO)).isEqualTo("srv -p 1 -b 127.0.0.2 -d /tmp/plain");
        assertThat(lossmeter.faults.node.Shell.quote("it's")).isEqualTo("'it'\\''s'");
    }

    @Test
    void generatesARedisConfigPerPolicy() {
        Launch launch = new Launch(Policy.ALWAYS, Path.of("/tmp/t/data"), Path.of("/tmp/t/target.log"), Path.of("/tmp/t"));
        String conf = RedisTarget.config(6400, "127.0.0.1", launch);
        assertThat(conf).contains("port 6400\n", "bind 127.0.0.1\n", "dir \"/tmp/t/data\"\n", "appendonly yes\n",
                "appendfsync always\n", "save \"\"\n", "daemonize no\n", "logfile \"/tmp/t/target.log\"\n");
    }

    @Test
    void aFaultsDirectivesReplaceTheRedisDefaultsAndFollowTheBundledOnes() {
        Launch launch = new Launch(Policy.NO, Path.of("/tmp/t/data"), Path.of("/tmp/t/target.log"), Path.of("/tmp/t"),
                java.util.Map.of("appendonly", "no", "save", "3600 1"));
        String conf = RedisTarget.config(6400, "127.0.0.1", launch);
        assertThat(conf).contains("appendonly no\n", "save 3600 1\n").doesNotContain("appendonly yes", "save \"\"");
        assertThatThrownBy(() -> Targets.cmd("srv --port {port}").start(null, launch)).isInstanceOf(TargetConfigException.class)
                .hasMessageContaining("cannot take the server directives");
    }

    @Test
    void describesVersionsFromInfo() {
        assertThat(ProcessTarget.describeVersion(lossmeter.faults.target.TargetAdmin.parseInfo("# Server\r\nredis_version:7.0.15\r\nredis_mode:standalone\r\n")))
                .isEqualTo("redis 7.0.15");
        assertThat(ProcessTarget.describeVersion(Map.of("redis_version", "7.0.0", "server_name", "lossmeter-target-server",
                "lossmeter_server_version", "0.1.0"))).isEqualTo("lossmeter-target-server 0.1.0 (redis 7.0.0)");
    }

    @Test
    void policiesKnowTheirUnsyncedLossBound() {
        assertThat(Policy.parse("EverySec")).isEqualTo(Policy.EVERYSEC);
        assertThat(Policy.ALWAYS.unsyncedLossBound(java.time.Duration.ofSeconds(2)).windowNanos()).isZero();
        assertThat(Policy.EVERYSEC.unsyncedLossBound(java.time.Duration.ofSeconds(2)).windowNanos()).isEqualTo(2_000_000_000L);
        assertThat(Policy.NO.unsyncedLossBound(java.time.Duration.ofSeconds(2)).unbounded()).isTrue();
        assertThatThrownBy(() -> Policy.parse("sometimes")).hasMessageContaining("always, everysec, no");
    }
}
