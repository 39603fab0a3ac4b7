package lossmeter.server.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A server running as a child process of the test JVM, its stdout and stderr captured to a log
 * file. Whatever happens, {@link #close()} kills it through its own {@link Process} handle.
 */
abstract class ChildProcess implements AutoCloseable {
    static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

    protected final Process process;
    protected final Path logFile;
    protected final List<String> command;

    protected ChildProcess(List<String> command, Path logFile) throws IOException {
        this.command = List.copyOf(command);
        this.logFile = logFile;
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        this.process = pb.start();
    }

    /** The TCP port the server listens on. */
    public abstract int port();

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Process process() {
        return process;
    }

    public Path logFile() {
        return logFile;
    }

    /** Everything the process printed so far. */
    public String log() {
        try {
            return Files.exists(logFile) ? new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new client connection (the caller closes it). */
    public Jedis jedis() {
        return jedis(java.time.Duration.ofSeconds(30));
    }

    /** A new client connection whose reads give up after the given time (an unknown outcome). */
    public Jedis jedis(java.time.Duration readTimeout) {
        return new Jedis("127.0.0.1", port(), DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(10_000).socketTimeoutMillis((int) readTimeout.toMillis()).build());
    }

    /** SIGKILL (destroyForcibly is SIGKILL on Linux), then waits for the process to be gone. */
    public void kill() {
        if (process.isAlive()) process.destroyForcibly();
        awaitExit(EXIT_TIMEOUT);
    }

    /** SHUTDOWN through a client, then waits for the exit; returns the exit status. */
    public int stop() {
        try (Jedis j = jedis()) {
            j.sendCommand(Protocol.Command.SHUTDOWN);
        } catch (JedisConnectionException expected) {
            // The server closes the connection instead of replying: that is what SHUTDOWN does.
        } catch (JedisDataException e) {
            throw new AssertionError("SHUTDOWN was refused: " + e.getMessage() + "\n" + log(), e);
        }
        return awaitExit(EXIT_TIMEOUT);
    }

    /** Waits until the process has exited and returns its status. */
    public int awaitExit(Duration timeout) {
        await("exit of " + describe()).atMost(timeout).pollInterval(Duration.ofMillis(20))
                .until(() -> !process.isAlive());
        return process.exitValue();
    }

    /** The exit status; fails if the process is still running. */
    public int exitCode() {
        if (process.isAlive()) throw new IllegalStateException(describe() + " is still running");
        return process.exitValue();
    }

    protected String describe() {
        return "pid " + process.pid() + " (" + String.join(" ", command.subList(0, Math.min(3, command.size()))) + " …)";
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                awaitExit(EXIT_TIMEOUT);
            } catch (RuntimeException e) {
                // Already failing or cleaning up: the kill was sent, nothing more to do.
            }
        }
    }

    /** Runs a short helper command to completion and returns its combined output; fails on non-zero status. */
    static String run(Duration timeout, List<String> cmd) throws IOException {
        Result r = runForResult(timeout, cmd);
        if (r.status() != 0) {
            throw new AssertionError("command " + cmd + " exited with " + r.status() + ":\n" + r.output());
        }
        return r.output();
    }

    record Result(int status, String output) {
    }

    /** Runs a helper command to completion (its own handle; killed if it outlives the timeout). */
    static Result runForResult(Duration timeout, List<String> cmd) throws IOException {
        Path out = Files.createTempFile("it-cmd", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            await("command " + cmd).atMost(timeout).pollInterval(Duration.ofMillis(20)).until(() -> !p.isAlive());
            return new Result(p.exitValue(), new String(Files.readAllBytes(out), StandardCharsets.UTF_8));
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
                await().atMost(EXIT_TIMEOUT).until(() -> !p.isAlive());
            }
            Files.deleteIfExists(out);
        }
    }
}
