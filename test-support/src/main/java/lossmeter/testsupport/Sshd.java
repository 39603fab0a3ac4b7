package lossmeter.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;

/**
 * A real OpenSSH server for integration tests that need SSH hosts: one {@code sshd -D} child
 * process listening on one loopback address (127.0.0.1, 127.0.0.2, … act as separate hosts on
 * Linux), with its own ed25519 host key and one ed25519 user key that may log in as {@link #user()}
 * (root when the tests run as root, else the current user). Everything it needs and writes (keys,
 * authorized_keys, sshd_config, pid file, log) is in the directory given to {@link #start}.
 *
 * <p>{@link #stop()} and {@link #die()} SIGKILL the listener and every process it spawned
 * (per-connection sshd processes and the sessions' commands), each by its pid, so open connections
 * drop; {@link #restart()} brings the same host back on the same port with the same keys. A JVM
 * shutdown hook stops a server that is still running when the test JVM exits.
 */
public final class Sshd implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);
    private static final int BIND_ATTEMPTS = 5;
    private static final Path PRIVSEP_DIR = Path.of("/run/sshd");

    private final String host;
    private final int port;
    private final Path dir;
    private final Path executable;
    private final Path config;
    private final Path hostKey;
    private final Path userKey;
    private final Path log;
    private Process process;
    private Thread shutdownHook;

    private Sshd(String host, int port, Path dir, Path executable) {
        this.host = host;
        this.port = port;
        this.dir = dir;
        this.executable = executable;
        this.config = dir.resolve("sshd_config");
        this.hostKey = dir.resolve("ssh_host_ed25519_key");
        this.userKey = dir.resolve("id_ed25519");
        this.log = dir.resolve("sshd.log");
    }

    /**
     * Generates fresh keys and a config in {@code dir} (created if missing) and starts sshd on a
     * free TCP port of {@code bindAddress}, returning once it accepts connections. A port taken
     * between choosing and binding it is retried with another one, a few times.
     *
     * @throws IllegalStateException when sshd or ssh-keygen is missing, or sshd does not come up
     *         (the message ends with the tail of its log)
     */
    public static Sshd start(String bindAddress, Path dir) {
        Path executable = executable();
        if (executable == null) throw new IllegalStateException("no sshd in /usr/sbin or on the PATH");
        try {
            Files.createDirectories(dir);
            Path abs = dir.toAbsolutePath();
            keygen(abs.resolve("ssh_host_ed25519_key"), "lossmeter-sshd-host");
            keygen(abs.resolve("id_ed25519"), "lossmeter-sshd-user");
            Files.copy(abs.resolve("id_ed25519.pub"), abs.resolve("authorized_keys"),
                    StandardCopyOption.REPLACE_EXISTING);
            IllegalStateException bindFailure = null;
            for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
                Sshd sshd = new Sshd(bindAddress, freePort(bindAddress), abs, executable);
                sshd.writeConfig();
                try {
                    sshd.launch();
                    return sshd;
                } catch (PortTaken e) {
                    bindFailure = e;
                }
            }
            throw new IllegalStateException("sshd could not bind a port on " + bindAddress + " in "
                    + BIND_ATTEMPTS + " attempts", bindFailure);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sshd binary: /usr/sbin/sshd (off a non-root user's PATH on Debian), else sshd on the PATH; null if neither. */
    public static Path executable() {
        Path sbin = Path.of("/usr/sbin/sshd");
        if (Files.isRegularFile(sbin) && Files.isExecutable(sbin)) return sbin;
        Path onPath = Requirements.onPath("sshd");
        return onPath == null ? null : onPath.toAbsolutePath();
    }

    /** The address sshd listens on, as given to {@link #start}. */
    public String host() {
        return host;
    }

    /** The TCP port sshd listens on; the same across {@link #restart()}s. */
    public int port() {
        return port;
    }

    /** The account the user key logs in as: root when this JVM runs as root, else the current user. */
    public String user() {
        return System.getProperty("user.name");
    }

    /** {@code ssh://user@host:port}, with an IPv6 host in brackets. */
    public String uri(String user) {
        return "ssh://" + user + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Lets the holder of {@code other}'s user key log in here too (one key for a fleet). */
    public void authorize(Sshd other) {
        try {
            Files.writeString(dir.resolve("authorized_keys"), Files.readString(other.userKey().resolveSibling(other.userKey().getFileName() + ".pub")),
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The user's private key (no passphrase), accepted for {@link #user()}; its public half is {@code userKey() + ".pub"}. */
    public Path userKey() {
        return userKey;
    }

    /** The public half of the host key, as ssh-keygen wrote it ({@code ssh-ed25519 AAAA… comment}). */
    public Path hostKeyPub() {
        return Path.of(hostKey + ".pub");
    }

    /** The log sshd writes (LogLevel VERBOSE), across restarts. */
    public Path log() {
        return log;
    }

    /** The known_hosts line that makes an OpenSSH client trust this host: {@code [host]:port ssh-ed25519 AAAA…}. */
    public String knownHostsLine() {
        try {
            String[] fields = Files.readString(hostKeyPub(), StandardCharsets.US_ASCII).strip().split("\\s+");
            return "[" + host + "]:" + port + " " + fields[0] + " " + fields[1];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes (replaces) {@code file} as a known_hosts file trusting exactly {@code servers}. */
    public static void writeKnownHosts(Path file, Sshd... servers) {
        try {
            Files.write(file, Arrays.stream(servers).map(Sshd::knownHostsLine).toList(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the listener is running (started or restarted, and neither stopped nor died since). */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * The listener's pid; its descendants are the connections' sshd processes and their sessions.
     *
     * @throws IllegalStateException when it is not running
     */
    public synchronized long pid() {
        if (process == null) throw new IllegalStateException("sshd on " + host + ":" + port + " is not running");
        return process.pid();
    }

    /**
     * Kills sshd and every process it spawned (per-connection sshd processes, the sessions'
     * commands) with SIGKILL, each by its pid, and returns once all are gone. Does nothing when
     * it is not running.
     */
    public synchronized void stop() {
        if (process == null) return;
        killTree(process.toHandle());
        process = null;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // Called from the hook itself: nothing to remove.
        }
        shutdownHook = null;
    }

    /**
     * The host dies mid-session: the listener and every connection's processes are SIGKILLed at
     * once, so clients see their connections drop and new ones refused. The same as {@link #stop()}.
     */
    public void die() {
        stop();
    }

    /** Starts sshd again (stopping it first if it runs) on the same address and port, with the same keys. */
    public synchronized void restart() {
        stop();
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #stop()}; closing twice, or after a stop, does nothing. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "sshd " + host + ":" + port + " (" + dir + ")";
    }

    /** Thrown by {@link #launch()} when sshd could not bind its port (someone else took it). */
    private static final class PortTaken extends IllegalStateException {
        PortTaken(String message) {
            super(message);
        }
    }

    private synchronized void launch() throws IOException {
        ensurePrivsepDir();
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        Process p = new ProcessBuilder(executable.toString(), "-D", "-e", "-f", config.toString(), "-E", log.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        process = p;
        shutdownHook = Thread.ofPlatform().name("lossmeter-sshd-" + port).unstarted(this::stop);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        String listening = "Server listening on " + host + " port " + port + ".";
        try {
            await().atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(50))
                    .until(() -> !p.isAlive() || logSince(logStart).contains(listening) && accepts());
        } catch (ConditionTimeoutException e) {
            stop();
            throw new IllegalStateException(this + " did not accept connections within " + READY_TIMEOUT.toSeconds()
                    + " s; its log ends with:\n" + tail(logSince(logStart)), e);
        }
        if (!p.isAlive()) {
            String output = logSince(logStart);
            stop();
            String message = this + " exited with " + p.exitValue() + "; its log ends with:\n" + tail(output);
            if (output.contains("Bind to port " + port)) throw new PortTaken(message);
            throw new IllegalStateException(message);
        }
    }

    private void writeConfig() throws IOException {
        String listen = host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        Files.writeString(config, String.join("\n",
                "ListenAddress " + listen,
                "HostKey " + quote(hostKey),
                "AuthorizedKeysFile " + quote(dir.resolve("authorized_keys")),
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "PermitRootLogin prohibit-password",
                "StrictModes no",
                "MaxSessions 64",
                "MaxStartups 64",
                "Subsystem sftp internal-sftp",
                "AllowStreamLocalForwarding yes",
                "AllowTcpForwarding yes",
                "PidFile " + quote(dir.resolve("sshd.pid")),
                "LogLevel VERBOSE",
                ""), StandardCharsets.UTF_8);
    }

    private static String quote(Path p) {
        return "\"" + p + "\"";
    }

    /** As root, sshd refuses to start without its privilege-separation directory. */
    private static void ensurePrivsepDir() throws IOException {
        if (Files.isDirectory(PRIVSEP_DIR) || !"root".equals(System.getProperty("user.name"))) return;
        Files.createDirectories(PRIVSEP_DIR, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort(String address) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return s.getLocalPort();
        }
    }

    /** Writes a fresh ed25519 key pair without a passphrase to {@code key} and {@code key.pub}. */
    private static void keygen(Path key, String comment) throws IOException {
        Path keygen = Requirements.onPath("ssh-keygen");
        if (keygen == null) throw new IllegalStateException("no ssh-keygen on the PATH");
        Files.deleteIfExists(key);
        Files.deleteIfExists(Path.of(key + ".pub"));
        Path out = Path.of(key + ".keygen.out");
        Process p = new ProcessBuilder(keygen.toString(), "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", key.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        try {
            await().atMost(EXIT_TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() -> !p.isAlive());
        } catch (ConditionTimeoutException e) {
            p.destroyForcibly();
            throw new IllegalStateException("ssh-keygen did not finish within " + EXIT_TIMEOUT.toSeconds() + " s for " + key, e);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("ssh-keygen exited with " + p.exitValue() + " for " + key + ": " + Files.readString(out));
        }
        Files.delete(out);
    }

    /**
     * SIGKILLs {@code root} and all its descendants. They are first frozen with SIGSTOP, from the
     * top down and until no new descendant appears, because a stopped process cannot fork: a child
     * forked while the tree is being killed would otherwise be orphaned and escape.
     */
    private static void killTree(ProcessHandle root) {
        Set<ProcessHandle> frozen = new LinkedHashSet<>();
        while (true) {
            List<ProcessHandle> found = Stream.concat(Stream.of(root), root.descendants())
                    .filter(h -> h.isAlive() && !frozen.contains(h)).toList();
            if (found.isEmpty()) break;
            stopAll(found);
            frozen.addAll(found);
            await().atMost(EXIT_TIMEOUT).pollInterval(Duration.ofMillis(10))
                    .until(() -> found.stream().allMatch(h -> !h.isAlive() || stopped(h.pid())));
        }
        frozen.forEach(ProcessHandle::destroyForcibly);
        await().atMost(EXIT_TIMEOUT).pollInterval(Duration.ofMillis(10))
                .until(() -> frozen.stream().noneMatch(ProcessHandle::isAlive));
    }

    /** SIGSTOP to each pid (through the shell's kill builtin: the JDK sends no other signals than TERM and KILL). */
    private static void stopAll(List<ProcessHandle> handles) {
        if (handles.isEmpty()) return;
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "kill -STOP \"$@\" 2>/dev/null", "sh"));
        handles.forEach(h -> cmd.add(Long.toString(h.pid())));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            await().atMost(EXIT_TIMEOUT).pollInterval(Duration.ofMillis(5)).until(() -> !p.isAlive());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the process is stopped (state T in /proc/pid/stat); an unreadable stat means it is gone. */
    private static boolean stopped(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state == 'T' || state == 'Z' || state == 'X';
        } catch (IOException e) {
            return true;
        }
    }

    private String logSince(long offset) {
        try {
            byte[] all = Files.readAllBytes(log);
            return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
