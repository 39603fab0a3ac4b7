package lossmeter.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pins the redis.conf syntax and the command-line form, and that bad input is refused with its location. */
class ConfigLoaderTest {
    @TempDir
    Path tmp;

    @Test
    void commandLineDirectivesUseRedisNamesAndValues() throws Exception {
        ServerConfig c = ConfigLoader.fromArgs(new String[]{"--port", "6390", "--dir", "./data", "--appendonly", "yes",
                "--appendfsync", "always", "--auto-aof-rewrite-min-size", "64mb", "--save", ""});
        assertThat(c.port).isEqualTo(6390);
        assertThat(c.dir).isEqualTo("./data");
        assertThat(c.appendonly).isTrue();
        assertThat(c.appendfsync).isEqualTo(FsyncPolicy.ALWAYS);
        assertThat(c.autoAofRewriteMinSize).isEqualTo(64L * 1024 * 1024);
        assertThat(c.save).isEmpty();
    }

    @Test
    void configFileThenOverrides() throws Exception {
        Path f = tmp.resolve("redis.conf");
        Files.writeString(f, """
                # comment
                port 7000
                appendonly yes
                save "3600 1 300 100"
                save 60 10000
                requirepass "p a s s"
                proto-max-bulk-len 1gb
                """);
        ServerConfig c = ConfigLoader.fromArgs(new String[]{f.toString(), "--port", "0"});
        assertThat(c.port).isZero();
        assertThat(c.requirepass).isEqualTo("p a s s");
        assertThat(c.protoMaxBulkLen).isEqualTo(1024L * 1024 * 1024);
        assertThat(c.save).containsExactly(new SavePoint(3600, 1), new SavePoint(300, 100), new SavePoint(60, 10000));
        assertThat(c.configFile).isEqualTo(f.toAbsolutePath().toString());
    }

    @Test
    void memoryUnitsFollowRedis() throws Exception {
        assertThat(ServerConfig.parseMemory("1k")).isEqualTo(1000);
        assertThat(ServerConfig.parseMemory("1kb")).isEqualTo(1024);
        assertThat(ServerConfig.parseMemory("2MB")).isEqualTo(2L * 1024 * 1024);
        assertThat(ServerConfig.parseMemory("3g")).isEqualTo(3_000_000_000L);
        assertThatThrownBy(() -> ServerConfig.parseMemory("12x")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> ServerConfig.parseMemory("-1")).isInstanceOf(ConfigException.class);
    }

    @Test
    void unknownDirectiveIsRefusedWithItsPlace() throws Exception {
        Path f = tmp.resolve("bad.conf");
        Files.writeString(f, "port 7000\nappendfsync sometimes\n");
        assertThatThrownBy(() -> ConfigLoader.fromArgs(new String[]{f.toString()}))
                .isInstanceOfSatisfying(ConfigLoader.Failure.class, e -> {
                    assertThat(e.report()).contains("at line 2").contains(">>> 'appendfsync sometimes'")
                            .contains("always, everysec, no");
                });
        assertThatThrownBy(() -> ConfigLoader.fromArgs(new String[]{"--no-such-thing", "1"}))
                .isInstanceOfSatisfying(ConfigLoader.Failure.class,
                        e -> assertThat(e.report()).contains("Bad directive").contains("no-such-thing"));
        assertThatThrownBy(() -> ConfigLoader.fromArgs(new String[]{"--port", "70000"}))
                .isInstanceOf(ConfigLoader.Failure.class);
        assertThatThrownBy(() -> ConfigLoader.fromArgs(new String[]{"--appendonly", "maybe"}))
                .isInstanceOfSatisfying(ConfigLoader.Failure.class, e -> assertThat(e.getMessage()).contains("'yes' or 'no'"));
    }

    @Test
    void unsafeSwitchesNeedTheOptIn() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.fromArgs(new String[]{"--unsafe-skip-fsync", "yes"}))
                .isInstanceOfSatisfying(ConfigLoader.Failure.class,
                        e -> assertThat(e.getMessage()).contains("enable-unsafe-durability-switches yes"));
        ServerConfig c = ConfigLoader.fromArgs(new String[]{"--unsafe-skip-fsync", "yes", "--enable-unsafe-durability-switches", "yes"});
        assertThat(c.unsafeSkipFsync).isTrue();
    }

    @Test
    void runtimeSetOnlyForMutableDirectives() throws Exception {
        ServerConfig c = new ServerConfig();
        c.setAtRuntime("appendfsync", "no");
        assertThat(c.appendfsync).isEqualTo(FsyncPolicy.NO);
        c.setAtRuntime("save", "100 10 20 5");
        assertThat(c.save).containsExactly(new SavePoint(100, 10), new SavePoint(20, 5));
        assertThatThrownBy(() -> c.setAtRuntime("port", "1")).hasMessageContaining("can't set immutable config");
        assertThatThrownBy(() -> c.setAtRuntime("appendfsync", "x")).hasMessageContaining("CONFIG SET failed");
        assertThat(c.get("append*")).extracting(p -> p[0]).contains("appendonly", "appendfsync", "appendfilename");
        assertThat(c.get("appendfsync")).containsExactly(new String[]{"appendfsync", "no"});
        assertThat(List.of(Glob.matches("a[bc]?d*", "abxdzz"), Glob.matches("h\\*llo", "h*llo"), Glob.matches("[^a]x", "ax")))
                .containsExactly(true, true, false);
    }
}
