package lossmeter.harness.node.ssh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import com.jcraft.jsch.ChannelExec;

import lossmeter.faults.node.Cleanup;
import lossmeter.faults.node.CommandResult;
import lossmeter.faults.node.Node;
import lossmeter.faults.node.NodeException;
import lossmeter.faults.node.NodeFiles;
import lossmeter.faults.node.NodeProcess;
import lossmeter.faults.node.Shell;
import lossmeter.faults.node.Signal;
import lossmeter.harness.node.ProcessRegistry;
import lossmeter.harness.node.RemoteJars;
import lossmeter.harness.node.RunLedger;

/**
 * A host reached over SSH (one reused jsch session, reopened on transport failures). Everything
 * this run makes there lives under {@code <work dir>/runs/<run id>/} (by default
 * {@code /var/tmp/lossmeter-<user>}): the trials'
 * working dirs, temp dirs, and the run's ledger (a record per process group and mount), guarded by
 * a lock held by a shell on the run's own SSH channel. Every process group has a watcher on the
 * node that waits for that lock and kills the group once it is free, which happens when the
 * channel closes: a harness that dies or loses the connection leaves nothing running, and the
 * next run's sweep removes what is left of a run whose lock is free. Commands run in a few
 * long-lived shells ({@link ShellPool}), not one SSH channel each. lossmeter's own classes run from jars copied to
 * {@code <work dir>/jars/<sha-256>.jar} under a JDK 25 found on the node the way the
 * launcher finds one; lossyfs's control socket is reached by forwarding the Unix socket over the
 * session.
 */
public final class SshNode implements Node {
    private static final Duration SHORT = Duration.ofSeconds(30);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final int PORT_LOW = 20000;
    private static final int PORT_HIGH = 32767;

    private final SshSession ssh;
    private final SshFiles files;
    private final String address;
    private final Path work;
    private final String runId;
    private final Path run;
    private final SshJava jvm;
    private final SshMounting mounting;
    private final SshSockets sockets;
    private final ProcessRegistry registry = ProcessRegistry.global();
    /** The groups started and not forgotten, with the pid of each one's watcher. */
    private final Map<NodeProcess, Long> started = new LinkedHashMap<>();
    private final List<Cleanup> cleanups = new ArrayList<>();
    private final Deque<Integer> recentPorts = new ArrayDeque<>();
    private final AtomicInteger counter = new AtomicInteger();
    private final Cleanup atJvmExit;
    private Tether lock;
    private volatile boolean closed;

    private SshNode(SshSession ssh, String address, Path work) {
        this.ssh = ssh;
        this.files = new SshFiles(ssh);
        this.address = address;
        this.work = work;
        // Short, because lossyfs's control socket lives under the run dir and a Unix socket path holds at most 107 bytes.
        this.runId = Long.toString(System.currentTimeMillis() / 1000, 36) + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
        this.run = work.resolve("runs").resolve(runId);
        this.jvm = new SshJava(this, ssh, new RemoteJars(work, SshJava.store(files, ssh, runId)));
        this.mounting = new SshMounting(this);
        this.sockets = new SshSockets(ssh);
        this.atJvmExit = registry.atExit("close node " + ssh.address(), this::close);
    }

    /** Connects (checking the host key), takes the run's lock on the node, and returns the node. */
    public static SshNode connect(SshAddress address, SshOptions options) {
        SshSession ssh = new SshSession(address, options);
        try {
            ssh.call("connect", s -> null);
            String ip;
            try {
                ip = InetAddress.getByName(address.host()).getHostAddress();
            } catch (UnknownHostException e) {
                throw new NodeException("cannot resolve " + address.host() + ": " + e.getMessage(), e);
            }
            SshNode node = new SshNode(ssh, ip, options.workDir(address.user()));
            try {
                node.lock = node.tether("hold the run lock", RemoteScripts.line(RemoteScripts.HOLD_LOCK, "lossmeter-run", node.run.toString()));
                String first = node.lock.firstLine();
                if (!"locked".equals(first)) {
                    throw new NodeException("cannot take the run lock on " + address + ": " + first + " " + node.lock.rest());
                }
            } catch (RuntimeException e) {
                node.close();
                throw e;
            }
            return node;
        } catch (RuntimeException e) {
            ssh.close();
            throw e;
        }
    }

    /** The abilities an SSH node has: mounting, a JDK of its own with lossmeter's jars, forwarded Unix sockets. */
    @Override
    public <T> java.util.Optional<T> ability(Class<T> kind) {
        for (Object a : List.of(mounting, jvm, sockets)) {
            if (kind.isInstance(a)) return java.util.Optional.of(kind.cast(a));
        }
        return Node.super.ability(kind);
    }

    /** The node's JDK 25 or newer (see {@link SshJava#javaHome}). */
    public String javaHome() {
        return jvm.javaHome();
    }

    /** The host key the node presented, as {@code type fingerprint}. */
    public String hostKey() {
        return ssh.hostKey();
    }

    /** The node's dir for this run (for tests and {@code nodes check}). */
    public Path runDir() {
        return run;
    }

    @Override
    public String name() {
        return ssh.address().toString();
    }

    @Override
    public CommandResult run(List<String> command, Duration timeout) {
        return ssh.exec(String.join(" ", command), Shell.join(command), timeout);
    }

    /** Runs a shell script on the node with its arguments. */
    CommandResult script(String what, String script, Duration timeout, String... args) {
        return ssh.exec(what, RemoteScripts.line(script, "lossmeter", args), timeout);
    }

    @Override
    public NodeProcess start(List<String> command, Path cwd, Map<String, String> env, Path log) {
        List<String> args = new ArrayList<>(List.of(log.toString(), (cwd == null ? run : cwd).toString(), groupEntry().toString(),
                run.toString(), "env"));
        env.forEach((k, v) -> args.add(k + "=" + v));
        args.add(RunLedger.RUN_ENV + "=" + runId);
        args.addAll(command);
        CommandResult r = script("start " + command.getFirst(), RemoteScripts.START, START_TIMEOUT, args.toArray(String[]::new));
        String[] ids = r.output().strip().split(" ");
        if (!r.ok() || ids.length != 2 || !ids[0].matches("\\d+") || !ids[1].matches("\\d+")) {
            throw new NodeException("cannot start " + command + " on " + name() + " (" + r.exitCode() + "): " + r.output().strip());
        }
        long pid = Long.parseLong(ids[0]);
        NodeProcess p = new NodeProcess(pid, pid, command, log);
        synchronized (started) {
            started.put(p, Long.parseLong(ids[1]));
        }
        return p;
    }

    /** The prefix of the ledger entries of process groups: {@code <run>/groups/g}, the group's pid appended. */
    /** A new ledger entry for a mount: {@code <run>/mounts/m<n>}. */
    Path mountEntry() {
        return run.resolve("mounts").resolve("m" + counter.incrementAndGet());
    }

    Path groupEntry() {
        return run.resolve("groups/g");
    }

    @Override
    public void signal(NodeProcess process, Signal signal) {
        String s = signal.name();
        run(List.of("sh", "-c", "kill -s " + s + " -- -" + process.pgid() + " 2>/dev/null || kill -s " + s + " " + process.pid()
                + " 2>/dev/null || true"), SHORT);
    }

    @Override
    public boolean alive(NodeProcess process) {
        return script("is group " + process.pgid() + " alive", RemoteScripts.ALIVE, SHORT, Long.toString(process.pgid())).exitCode() == 0;
    }

    @Override
    public void forget(NodeProcess process) {
        Long watcher;
        synchronized (started) {
            watcher = started.remove(process);
        }
        if (watcher == null) return;
        run(List.of("sh", "-c", "kill -s KILL -- -" + watcher + " 2>/dev/null; rm -f -- " + Shell.quote(groupEntry() + "." + process.pid())),
                SHORT);
    }

    @Override
    public NodeFiles files() {
        return files;
    }

    @Override
    public String address() {
        return address;
    }

    /** A port from 20000–32767 that nothing on the node listens on (per /proc/net/tcp*) and that this node has not handed out lately. */
    @Override
    public int freePort() {
        CommandResult r = run(List.of("sh", "-c", "cat /proc/net/tcp /proc/net/tcp6 2>/dev/null"), SHORT);
        Set<Integer> used = new HashSet<>();
        for (String line : r.output().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4 || !f[1].contains(":")) continue;
            try {
                used.add(Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16));
            } catch (NumberFormatException ignored) {
                // the header line
            }
        }
        synchronized (recentPorts) {
            for (int attempt = 0; attempt < 1000; attempt++) {
                int port = ThreadLocalRandom.current().nextInt(PORT_LOW, PORT_HIGH + 1);
                if (used.contains(port) || recentPorts.contains(port)) continue;
                recentPorts.addLast(port);
                if (recentPorts.size() > 256) recentPorts.removeFirst();
                return port;
            }
        }
        throw new NodeException("no free port on " + name() + " from " + PORT_LOW + " to " + PORT_HIGH);
    }

    @Override
    public Path trialDir(Path resultsDir) {
        return run.resolve("trials").resolve(counter.incrementAndGet() + "-" + resultsDir.getFileName());
    }

    @Override
    public Path tempDir(String prefix) {
        Path dir = run.resolve("t" + counter.incrementAndGet());
        files.mkdirs(dir);
        atExit("delete " + dir, () -> files.delete(dir));
        return dir;
    }

    @Override
    public Cleanup atExit(String what, Runnable action) {
        Cleanup c = new Cleanup() {
            private boolean done;

            @Override
            public void close() {
                synchronized (this) {
                    if (done) return;
                    done = true;
                }
                synchronized (cleanups) {
                    cleanups.remove(this);
                }
                try {
                    action.run();
                } catch (RuntimeException e) {
                    throw new NodeException("cannot " + what + " on " + name() + ": " + e.getMessage(), e);
                }
            }

            @Override
            public String toString() {
                return what;
            }
        };
        synchronized (cleanups) {
            cleanups.add(c);
        }
        return c;
    }

    @Override
    public List<String> sweep() {
        CommandResult r = script("sweep", RemoteScripts.SWEEP, Duration.ofMinutes(2), work.toString(), runId);
        if (!r.ok()) throw new NodeException("the sweep of " + name() + " failed (" + r.exitCode() + "): " + r.output().strip());
        return r.output().lines().filter(l -> !l.isBlank()).toList();
    }

    /** Drops the connection as a harness that died would, without any cleanup (tests). */
    void dropForTests() {
        closed = true;
        files.close();
        ssh.close();
        atJvmExit.close();
    }

    // ---- life cycle

    /**
     * Kills the groups this node started and has not forgotten, runs its cleanups (latest first),
     * deletes the run's dir on the node, releases the run's lock and disconnects. Best effort when
     * the node is unreachable: the watchers (which fire when the run's lock is free) and the next
     * sweep finish the job.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        RuntimeException first = null;
        List<Map.Entry<NodeProcess, Long>> left;
        synchronized (started) {
            left = new ArrayList<>(started.entrySet());
            started.clear();
        }
        try {
            if (!left.isEmpty()) {
                StringBuilder kill = new StringBuilder();
                for (var e : left) {
                    kill.append("kill -s KILL -- -").append(e.getKey().pgid()).append(" 2>/dev/null; ");
                    kill.append("kill -s KILL -- -").append(e.getValue()).append(" 2>/dev/null; ");
                }
                run(List.of("sh", "-c", kill + "true"), SHORT);
                // Wait for the kernel to tear the groups down before unmounting what they held open.
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                for (var e : left) {
                    while (alive(e.getKey()) && System.nanoTime() < deadline) SshSession.pause(Duration.ofMillis(20));
                }
            }
        } catch (RuntimeException e) {
            first = e;
        }
        List<Cleanup> all;
        synchronized (cleanups) {
            all = new ArrayList<>(cleanups);
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                all.get(i).close();
            } catch (RuntimeException e) {
                if (first == null) first = e;
            }
        }
        try {
            files.delete(run);
        } catch (RuntimeException e) {
            if (first == null) first = e;
        }
        if (lock != null) lock.close();
        files.close();
        ssh.close();
        atJvmExit.close();
        if (first != null && !(first instanceof lossmeter.faults.node.NodeUnreachableException)) throw first;
    }

    private Tether tether(String what, String commandLine) {
        return ssh.call(what, s -> {
            ChannelExec ch = (ChannelExec) s.openChannel("exec");
            ch.setCommand(commandLine + " 2>&1");
            OutputStream stdin = ch.getOutputStream();
            InputStream stdout = ch.getInputStream();
            // The shells write their errors to stdout (2>&1 inside), so a failed start says why.
            ch.connect((int) START_TIMEOUT.toMillis());
            return new Tether(ch, stdin, new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8)));
        });
    }

    /** The shell that holds the run's lock on its own channel: closing the channel (or losing it) frees the lock. */
    private static final class Tether {
        private final ChannelExec channel;
        private final OutputStream stdin;
        private final BufferedReader stdout;

        Tether(ChannelExec channel, OutputStream stdin, BufferedReader stdout) {
            this.channel = channel;
            this.stdin = stdin;
            this.stdout = stdout;
        }

        String firstLine() {
            try {
                return stdout.readLine();
            } catch (IOException e) {
                return null;
            }
        }

        /** Whatever else the shell said before it ended (for errors). */
        String rest() {
            StringBuilder sb = new StringBuilder();
            try {
                for (String l; sb.length() < 4000 && (l = stdout.readLine()) != null; ) sb.append(l).append('\n');
            } catch (IOException ignored) {
                // the channel closed
            }
            return sb.toString().strip() + " (exit " + channel.getExitStatus() + ")";
        }

        /** Closes the channel: the shell reads end of input and ends, freeing the lock. */
        /** Ends the shell: end of input, then (up to a few seconds) its exit, so the lock is free when this returns. */
        void close() {
            try {
                stdin.close();
            } catch (IOException ignored) {
                // already closed
            }
            ShellPool.awaitEnd(List.of(channel), java.time.Duration.ofSeconds(5));
            channel.disconnect();
        }
    }
}
