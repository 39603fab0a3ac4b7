package lossmeter.server.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import lossmeter.testsupport.Requirements;
import redis.clients.jedis.Jedis;

/**
 * A real {@code redis-server} as a child process: {@code redis-server --port <free port> --bind
 * 127.0.0.1 --dir <dir> --save "" --daemonize no --appendonly <yes|no> …directives}, output
 * captured to a log file in the dir. Ready once PING is answered. Call
 * {@link Requirements#requireCommand(String)} first.
 */
public final class RealRedis extends ChildProcess {
    private static final AtomicInteger STARTS = new AtomicInteger();

    private final int port;
    private final Path dir;

    private RealRedis(List<String> command, Path dir, Path logFile, int port) throws IOException {
        super(command, logFile);
        this.port = port;
        this.dir = dir;
    }

    public static Builder in(Path dir) {
        return new Builder(dir);
    }

    @Override
    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    private RealRedis awaitReady(Duration timeout) {
        try {
            await("PING of " + describe()).atMost(timeout).pollInterval(Duration.ofMillis(50))
                    .failFast("redis-server exited before answering PING", () -> !process.isAlive())
                    .ignoreExceptions()
                    .until(this::pong);
        } catch (RuntimeException e) {
            String status = process.isAlive() ? "still running" : "exit status " + process.exitValue();
            close();
            throw new AssertionError("redis-server did not answer PING (" + status + "); log " + logFile + ":\n" + log(), e);
        }
        return this;
    }

    private boolean pong() {
        try (Jedis j = jedis()) {
            return "PONG".equals(j.ping());
        }
    }

    /** A port that was free a moment ago (the kernel hands out ephemeral ports in order, so reuse is unlikely). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    public static final class Builder {
        private final Path dir;
        private final List<String> directives = new ArrayList<>();
        private boolean appendonly;

        private Builder(Path dir) {
            this.dir = dir;
        }

        public Builder appendonly(boolean on) {
            this.appendonly = on;
            return this;
        }

        public Builder directive(String name, String... values) {
            directives.add("--" + name);
            directives.addAll(List.of(values));
            return this;
        }

        public RealRedis start() throws IOException {
            int port = freePort();
            List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--dir", dir.toAbsolutePath().toString(), "--save", "", "--daemonize", "no",
                    "--appendonly", appendonly ? "yes" : "no"));
            cmd.addAll(directives);
            Path log = dir.resolve("redis-" + STARTS.incrementAndGet() + ".log");
            return new RealRedis(cmd, dir, log, port).awaitReady(ServerProcess.READY_TIMEOUT);
        }
    }
}
