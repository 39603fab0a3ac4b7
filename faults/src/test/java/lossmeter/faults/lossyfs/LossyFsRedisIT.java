package lossmeter.faults.lossyfs;

import lossmeter.testsupport.Requirements;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real redis-server writing its AOF into lossyfs meets ENOSPC and fsync EIO as REDIS-FACTS says. */
@Tag("integration")
class LossyFsRedisIT {
    @TempDir
    Path tmp;

    private MountedFs fs;

    @BeforeEach
    void setUp() {
        Requirements.requireFuse();
        Requirements.requireCommand("redis-server");
        fs = new MountedFs(tmp);
    }

    @AfterEach
    void tearDown() throws Exception {
        fs.close();
    }

    private record Redis(Process process, int port, Path log) {
        String command(String inline) throws IOException {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
                return line == null ? "(closed)" : line;
            }
        }

        String logText() throws IOException {
            return Files.readString(log);
        }
    }

    private Redis startRedis(LossyFsProcess lfs, String fsync) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path log = tmp.resolve("redis-" + fsync + "-" + port + ".log");
        Process p = fs.spawn(log, "redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir",
                lfs.mount().toString(), "--appendonly", "yes", "--appendfsync", fsync, "--save", "", "--daemonize", "no",
                "--logfile", "");
        Redis redis = new Redis(p, port, log);
        await().atMost(MountedFs.patience()).ignoreExceptions().until(() -> {
            if (!p.isAlive()) throw new AssertionError("redis-server exited: " + redis.logText());
            return redis.command("PING").equals("+PONG");
        });
        return redis;
    }

    private static void awaitExit(Redis redis) {
        await().atMost(MountedFs.patience()).until(() -> !redis.process().isAlive());
    }

    @Test
    void enospcUnderAlwaysMakesRedisExit() throws Exception {
        LossyFsProcess lfs = fs.mount("redis-enospc-always", MetadataMode.STRICT, b -> { });
        Redis redis = startRedis(lfs, "always");
        assertThat(redis.command("SET a 1")).isEqualTo("+OK");
        lfs.control().enospc(true);
        redis.command("SET b 2");
        awaitExit(redis);
        assertThat(redis.process().exitValue()).isEqualTo(1);
        assertThat(redis.logText()).contains("No space left on device",
                "Can't recover from AOF write error when the AOF fsync policy is 'always'");
    }

    @Test
    void enospcUnderEverysecGivesMisconfUntilSpaceReturns() throws Exception {
        LossyFsProcess lfs = fs.mount("redis-enospc-everysec", MetadataMode.STRICT, b -> { });
        Redis redis = startRedis(lfs, "everysec");
        assertThat(redis.command("SET a 1")).isEqualTo("+OK");
        lfs.control().enospc(true);
        await().atMost(MountedFs.patience()).pollInterval(Duration.ofMillis(100))
                .until(() -> redis.command("SET b 2"), r -> r.startsWith("-MISCONF") && r.contains("No space left on device"));
        lfs.control().enospc(false);
        await().atMost(MountedFs.patience()).pollInterval(Duration.ofMillis(100))
                .until(() -> redis.command("SET c 3"), r -> r.equals("+OK"));
        assertThat(redis.logText()).contains("AOF write error looks solved");
        assertThat(redis.process().isAlive()).isTrue();
    }

    @Test
    void fsyncEioUnderAlwaysMakesRedisExit() throws Exception {
        LossyFsProcess lfs = fs.mount("redis-eio-always", MetadataMode.STRICT, b -> { });
        Redis redis = startRedis(lfs, "always");
        assertThat(redis.command("SET a 1")).isEqualTo("+OK");
        lfs.control().fsyncEio(FsyncEio.ON);
        redis.command("SET b 2");
        awaitExit(redis);
        assertThat(redis.process().exitValue()).isEqualTo(1);
        assertThat(redis.logText()).contains("Input/output error");
    }

    @Test
    void powerLossUnderAlwaysKeepsEveryAcknowledgedWrite() throws Exception {
        LossyFsProcess lfs = fs.mount("redis-powerloss", MetadataMode.STRICT, b -> { });
        Redis redis = startRedis(lfs, "always");
        for (int i = 1; i <= 20; i++) assertThat(redis.command("INCR c")).isEqualTo(":" + i);
        redis.process().destroyForcibly();
        awaitExit(redis);
        lfs.control().dropUnsynced();
        Redis again = startRedis(lfs, "always");
        assertThat(again.command("GET c")).isEqualTo("$2");
        assertThat(again.logText()).contains("DB loaded from append only file");
    }
}
