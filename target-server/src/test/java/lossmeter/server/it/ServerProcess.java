package lossmeter.server.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Our server ({@code lossmeter.server.ServerMain server}) as a child process:
 * {@code <java.home>/bin/java -XX:+UseSerialGC -cp <test classpath> lossmeter.server.ServerMain server
 * --port 0 --dir <dir> …directives}, stdout and stderr captured to a log file in the dir (or where
 * {@link Builder#logTo} says). {@link Builder#start()} waits for {@code Ready to accept connections
 * tcp port=N} and reads the port from it; {@link Builder#launch()} does not wait (for starts that
 * are expected to fail).
 *
 * <pre>{@code
 * try (ServerProcess s = ServerProcess.in(dir).appendonly("always").start(); Jedis j = s.jedis()) { … }
 * }</pre>
 */
public final class ServerProcess extends ChildProcess {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern READY = Pattern.compile("Ready to accept connections tcp port=(\\d+)");
    private static final AtomicInteger STARTS = new AtomicInteger();

    private final Path dir;
    private volatile int port = -1;

    private ServerProcess(List<String> command, Path dir, Path logFile) throws IOException {
        super(command, logFile);
        this.dir = dir;
    }

    public static Builder in(Path dir) {
        return new Builder(dir);
    }

    /** How many servers this JVM has started (tests keep an eye on their budget). */
    public static int starts() {
        return STARTS.get();
    }

    public Path dir() {
        return dir;
    }

    @Override
    public int port() {
        if (port < 0) throw new IllegalStateException("the server has not logged its Ready line");
        return port;
    }

    /** Waits for the Ready line; fails fast, with the log, if the process exits first. */
    ServerProcess awaitReady(Duration timeout) {
        try {
            await("Ready line of " + describe()).atMost(timeout).pollInterval(Duration.ofMillis(20))
                    .failFast("the server exited before it was ready", () -> !process.isAlive() && readyPort() < 0)
                    .until(() -> readyPort() >= 0);
        } catch (RuntimeException e) { // ConditionTimeoutException, TerminalFailureException (fail fast)
            String status = process.isAlive() ? "still running" : "exit status " + process.exitValue();
            close();
            throw new AssertionError("server did not become ready (" + status + "); log " + logFile + ":\n" + log(), e);
        }
        port = readyPort();
        return this;
    }

    private int readyPort() {
        Matcher m = READY.matcher(log());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** Collects the command line; nothing runs until {@link #start()} or {@link #launch()}. */
    public static final class Builder {
        private final Path dir;
        private final List<String> directives = new ArrayList<>();
        private final List<String> prefix = new ArrayList<>();
        private final List<String> jvmOptions = new ArrayList<>();
        private Path logFile;
        private Duration readyTimeout = READY_TIMEOUT;

        private Builder(Path dir) {
            this.dir = dir;
        }

        /** Adds {@code --name values…} to the server's command line. */
        public Builder directive(String name, String... values) {
            directives.add("--" + name);
            directives.addAll(List.of(values));
            return this;
        }

        /** {@code --appendonly yes --appendfsync <policy>}. */
        public Builder appendonly(String policy) {
            return directive("appendonly", "yes").directive("appendfsync", policy);
        }

        /** Where stdout and stderr go (default: a new {@code server-N.log} in the dir). */
        public Builder logTo(Path file) {
            this.logFile = file;
            return this;
        }

        /** A command the java command line is handed to, e.g. {@code nsenter --mount=…}; it must exec, not fork. */
        public Builder wrappedIn(List<String> commandPrefix) {
            prefix.addAll(commandPrefix);
            return this;
        }

        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = timeout;
            return this;
        }

        public List<String> commandLine() {
            List<String> cmd = new ArrayList<>(prefix);
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-XX:+UseSerialGC");
            cmd.addAll(jvmOptions);
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add("lossmeter.server.ServerMain");
            cmd.add("server");
            cmd.add("--port");
            cmd.add("0");
            cmd.add("--dir");
            cmd.add(dir.toAbsolutePath().toString());
            cmd.addAll(directives);
            return cmd;
        }

        /** Starts the process without waiting for it to be ready. */
        public ServerProcess launch() throws IOException {
            int n = STARTS.incrementAndGet();
            Path log = logFile != null ? logFile : dir.resolve("server-" + n + ".log");
            return new ServerProcess(commandLine(), dir, log);
        }

        /** Starts the process and waits for its Ready line. */
        public ServerProcess start() throws IOException {
            return launch().awaitReady(readyTimeout);
        }
    }
}
