package lossmeter.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lossmeter.server.config.OutputBufferLimits.Limit;

/**
 * client-output-buffer-limit, client-query-buffer-limit and maxclients: Redis 7.0's syntax,
 * defaults, CONFIG GET text and error messages (checked against redis-server 7.0.15).
 */
class ClientLimitsConfigTest {
    @TempDir
    Path tmp;

    @Test
    void defaultsAreRedisDefaults() {
        ServerConfig c = new ServerConfig();
        assertThat(c.clientOutputBufferLimit.normal()).isEqualTo(Limit.NONE);
        assertThat(c.get("client-output-buffer-limit")).containsExactly(new String[]{"client-output-buffer-limit",
                "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"});
        assertThat(c.get("client-query-buffer-limit")).containsExactly(new String[]{"client-query-buffer-limit", "1073741824"});
        assertThat(c.get("maxclients")).containsExactly(new String[]{"maxclients", "10000"});
    }

    @Test
    void configFileLinesSetOneClassEachWithMemoryUnits() throws Exception {
        Path f = tmp.resolve("redis.conf");
        Files.writeString(f, """
                client-output-buffer-limit normal 4mb 1mb 10
                client-output-buffer-limit replica 1gb 512MB 0
                client-output-buffer-limit pubsub 1k 1kb 5
                client-query-buffer-limit 2mb
                maxclients 50
                """);
        ServerConfig c = ConfigLoader.fromArgs(new String[]{f.toString()});
        assertThat(c.clientOutputBufferLimit.normal()).isEqualTo(new Limit(4L << 20, 1L << 20, 10));
        assertThat(c.clientOutputBufferLimit.replica()).isEqualTo(new Limit(1L << 30, 512L << 20, 0));
        assertThat(c.clientOutputBufferLimit.pubsub()).isEqualTo(new Limit(1000, 1024, 5));
        assertThat(c.clientQueryBufferLimit).isEqualTo(2L << 20);
        assertThat(c.maxclients).isEqualTo(50);
    }

    @Test
    void commandLineTakesSeveralClassesAndLeavesTheOthers() throws Exception {
        ServerConfig c = ConfigLoader.fromArgs(new String[]{"--client-output-buffer-limit", "normal", "10", "20", "3",
                "pubsub", "1kb", "1k", "5", "--port", "0"});
        assertThat(c.clientOutputBufferLimit.format()).isEqualTo("normal 10 20 3 slave 268435456 67108864 60 pubsub 1024 1000 5");
        assertThat(c.port).isZero();
    }

    @Test
    void configSetTakesTheGroupsInOneArgument() throws Exception {
        ServerConfig c = new ServerConfig();
        c.setAtRuntime("client-output-buffer-limit", "normal 1mb 512kb 2 slave 1 2 3");
        assertThat(c.clientOutputBufferLimit.normal()).isEqualTo(new Limit(1L << 20, 512L << 10, 2));
        assertThat(c.clientOutputBufferLimit.replica()).isEqualTo(new Limit(1, 2, 3));
        assertThat(c.clientOutputBufferLimit.pubsub()).isEqualTo(OutputBufferLimits.DEFAULT.pubsub());
        c.setAtRuntime("client-query-buffer-limit", "1mb");
        assertThat(c.clientQueryBufferLimit).isEqualTo(1L << 20);
        c.setAtRuntime("maxclients", "2");
        assertThat(c.maxclients).isEqualTo(2);
    }

    @Test
    void badValuesAreRefusedWithRedisMessagesAndChangeNothing() {
        ServerConfig c = new ServerConfig();
        String prefix = "CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - ";
        assertThatThrownBy(() -> c.setAtRuntime("client-output-buffer-limit", "normal 1mb 2"))
                .hasMessage(prefix + "Wrong number of arguments in buffer limit configuration.");
        assertThatThrownBy(() -> c.setAtRuntime("client-output-buffer-limit", ""))
                .hasMessage(prefix + "Wrong number of arguments in buffer limit configuration.");
        assertThatThrownBy(() -> c.setAtRuntime("client-output-buffer-limit", "foo 1 2 3"))
                .hasMessage(prefix + "Invalid client class specified in buffer limit configuration.");
        assertThatThrownBy(() -> c.setAtRuntime("client-output-buffer-limit", "master 1 2 3"))
                .hasMessage(prefix + "Invalid client class specified in buffer limit configuration.");
        for (String bad : new String[]{"normal 1x 2 3", "normal 1 -2 3", "normal 1 2 -3", "normal 1 2 3s"}) {
            assertThatThrownBy(() -> c.setAtRuntime("client-output-buffer-limit", bad))
                    .hasMessage(prefix + "Error in hard, soft or soft_seconds setting in buffer limit configuration.");
        }
        // A bad second group leaves the first unapplied too.
        assertThatThrownBy(() -> c.setAtRuntime("client-output-buffer-limit", "normal 1 2 3 pubsub 1 2 x"));
        assertThat(c.clientOutputBufferLimit).isEqualTo(OutputBufferLimits.DEFAULT);

        assertThatThrownBy(() -> c.setAtRuntime("client-query-buffer-limit", "1000")).hasMessageContaining("1048576");
        assertThatThrownBy(() -> c.setAtRuntime("client-query-buffer-limit", "lots")).hasMessageContaining("memory value");
        assertThatThrownBy(() -> c.setAtRuntime("maxclients", "0")).hasMessageContaining("between 1 and");
        assertThat(c.clientQueryBufferLimit).isEqualTo(1L << 30);
    }

    @Test
    void badLineInTheFileNamesItsPlace() throws Exception {
        Path f = tmp.resolve("bad.conf");
        Files.writeString(f, "port 7000\nclient-output-buffer-limit normal 0 0\n");
        assertThatThrownBy(() -> ConfigLoader.fromArgs(new String[]{f.toString()}))
                .isInstanceOfSatisfying(ConfigLoader.Failure.class, e -> assertThat(e.report()).contains("at line 2")
                        .contains("Wrong number of arguments in buffer limit configuration."));
    }
}
