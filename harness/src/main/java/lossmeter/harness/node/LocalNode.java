package lossmeter.harness.node;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import lossmeter.faults.lossyfs.Mounts;
import lossmeter.faults.node.Cleanup;
import lossmeter.faults.node.CommandResult;
import lossmeter.faults.node.JavaRuntime;
import lossmeter.faults.node.Mounting;
import lossmeter.faults.node.Node;
import lossmeter.faults.node.NodeException;
import lossmeter.faults.node.NodeFiles;
import lossmeter.faults.node.NodeProcess;
import lossmeter.faults.node.Signal;
import lossmeter.faults.node.UnixSockets;

/**
 * This machine as a node: processes through {@code setsid}, signals through {@code kill -s SIG --
 * -PGID}, files through java.nio, targets on 127.0.0.1, lossmeter's classes run by the harness's
 * own JVM, and a trial's working files in its results dir (nothing to copy back). Every group it starts is tracked in the
 * {@link ProcessRegistry} until it is known to be gone, and, like every mount and temp dir it is
 * told about, written to the run's {@link RunLedger} before it exists, so a sweep can remove what a
 * killed harness left.
 */
public final class LocalNode implements Node, Mounting, JavaRuntime, UnixSockets {
    private static final File DEV_NULL = new File("/dev/null");

    private final ProcessRegistry registry = ProcessRegistry.global();
    private final LocalFiles files = new LocalFiles();
    private final List<String> sessionLauncher;
    /** Groups this node started, with the leader's handle (a child of this JVM until reaped). */
    private final Map<NodeProcess, Process> mine = new LinkedHashMap<>();
    /** Cleanups registered through this node, run (latest first) when it closes. */
    private final List<Cleanup> cleanups = new ArrayList<>();
    private final RunLedger ledger;
    private final Map<NodeProcess, LedgerEntry> entries = new LinkedHashMap<>();
    /** Closes the ledger also when the JVM exits without closing the node (SIGINT); registered first, so it runs last. */
    private final Cleanup ledgerAtExit;
    /** Ports handed out lately, so trials started at once never get the same one before either binds it. */
    private final java.util.Deque<Integer> recentPorts = new java.util.ArrayDeque<>();

    public LocalNode() {
        this(List.of("setsid"), RunLedger.defaultRoot());
    }

    /** A node whose run ledger lives under {@code ledgerRoot} instead of the default (tests). */
    public LocalNode(Path ledgerRoot) {
        this(List.of("setsid"), ledgerRoot);
    }

    LocalNode(List<String> sessionLauncher) {
        this(sessionLauncher, RunLedger.defaultRoot());
    }

    /**
     * A node whose processes are started through {@code sessionLauncher} followed by the command;
     * it must exec the command as the leader of a new session in the same pid ({@code setsid}
     * does). Tests use it to widen the instant before the group exists.
     */
    LocalNode(List<String> sessionLauncher, Path ledgerRoot) {
        this.sessionLauncher = List.copyOf(sessionLauncher);
        this.ledger = new RunLedger(ledgerRoot);
        this.ledgerAtExit = registry.atExit("close the run ledger " + ledger.id(), ledger::close);
    }

    /** The ledger root this node records into and sweeps. */
    public Path ledgerRoot() {
        return ledger.root();
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public CommandResult run(List<String> command, Duration timeout) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(DEV_NULL).start();
        } catch (IOException e) {
            throw new NodeException("cannot run " + command + ": " + e.getMessage(), e);
        }
        // Read on another thread so a chatty command cannot block on a full pipe past the timeout.
        StringBuilder out = new StringBuilder();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (InputStream in = p.getInputStream()) {
                out.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // The process was killed: whatever was read so far is the output.
            }
        });
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new NodeException("command " + command + " did not finish within " + timeout.toMillis() + "ms");
            }
            reader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new NodeException("interrupted while running " + command, e);
        }
        // join() orders the reader's appends before this read.
        return new CommandResult(p.exitValue(), out.toString());
    }

    @Override
    public NodeProcess start(List<String> command, Path cwd, Map<String, String> env, Path log) {
        List<String> full = new ArrayList<>(command.size() + sessionLauncher.size());
        // setsid(1) execs in place (no fork) because a child of the JVM is never a group leader, so
        // the pid we see is the session leader and its pid is the group id.
        full.addAll(sessionLauncher);
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true).redirectInput(DEV_NULL);
        if (cwd != null) pb.directory(cwd.toFile());
        pb.environment().putAll(env);
        // The mark lets a sweep prove a process is this run's even when the ledger never learnt its group.
        pb.environment().put(RunLedger.RUN_ENV, ledger.id());
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        } catch (IOException e) {
            throw new NodeException("cannot open log " + log + ": " + e.getMessage(), e);
        }
        LedgerEntry entry = ledger.group(command);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            entry.remove();
            throw new NodeException("cannot start " + command + ": " + e.getMessage(), e);
        }
        NodeProcess np = new NodeProcess(p.pid(), p.pid(), command, log);
        registry.track(np, p);
        synchronized (mine) {
            mine.put(np, p);
            entries.put(np, entry);
        }
        // The start time survives exec, so it identifies the group's leader for as long as it lives.
        ledger.started(entry, np.pgid(), ProcStat.of(np.pid()).map(ProcStat::startTime).orElse(-1L));
        return np;
    }

    @Override
    public void signal(NodeProcess process, Signal signal) {
        CommandResult r = run(List.of("kill", "-s", signal.name(), "--", "-" + process.pgid()), Duration.ofSeconds(10));
        if (!r.ok() && alive(process)) {
            // Sent in the instant before setsid(2) ran: the group does not exist yet, the leader does.
            CommandResult direct = run(List.of("kill", "-s", signal.name(), Long.toString(process.pid())), Duration.ofSeconds(10));
            if (!direct.ok() && alive(process)) {
                throw new NodeException("kill -s " + signal + " of " + process + " failed: " + r.output().strip());
            }
        }
    }

    @Override
    public boolean alive(NodeProcess process) {
        // Right after the spawn, until setsid(2) has run in the child, the leader is not yet in its
        // own group: its handle is what says it lives.
        Process leader;
        synchronized (mine) {
            leader = mine.get(process);
        }
        if (leader != null && leader.isAlive()) return true;
        // A group outlives its leader when the leader forked; scan /proc for any live member.
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.anyMatch(p -> {
                String name = p.getFileName().toString();
                return !name.isEmpty() && Character.isDigit(name.charAt(0)) && liveMember(p, process.pgid());
            });
        } catch (IOException e) {
            throw new NodeException("cannot list /proc: " + e.getMessage(), e);
        }
    }

    /** True when /proc/PID/stat names a non-zombie process in the group. */
    static boolean liveMember(Path procDir, long pgid) {
        String stat;
        try {
            stat = Files.readString(procDir.resolve("stat"), StandardCharsets.US_ASCII);
        } catch (IOException | UncheckedIOException e) {
            return false; // exited while we looked
        }
        // "pid (comm) S ppid pgrp …": comm may hold spaces and parentheses, so parse after the last ')'.
        int close = stat.lastIndexOf(')');
        if (close < 0) return false;
        String[] f = stat.substring(close + 2).split(" ");
        if (f.length < 3) return false;
        return !f[0].equals("Z") && !f[0].equals("X") && Long.parseLong(f[2]) == pgid;
    }

    @Override
    public void forget(NodeProcess process) {
        registry.untrack(process);
        LedgerEntry entry;
        synchronized (mine) {
            mine.remove(process);
            entry = entries.remove(process);
        }
        if (entry != null) entry.remove();
    }

    @Override
    public NodeFiles files() {
        return files;
    }

    @Override
    public String address() {
        return "127.0.0.1";
    }

    /**
     * A loopback port that was free a moment ago and not handed out among the last 64. The kernel
     * hands out ephemeral ports in sequence, so another process taking it before the target binds is
     * unlikely; if it happens the target fails to bind and readiness reports its log.
     */
    @Override
    public int freePort() {
        for (int attempt = 0; ; attempt++) {
            int port;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(address()))) {
                port = s.getLocalPort();
            } catch (IOException e) {
                throw new NodeException("no free port on " + address() + ": " + e.getMessage(), e);
            }
            synchronized (recentPorts) {
                if (recentPorts.contains(port) && attempt < 100) continue;
                recentPorts.addLast(port);
                if (recentPorts.size() > 64) recentPorts.removeFirst();
                return port;
            }
        }
    }

    /** The results dir itself: on this machine there is nothing to copy back. */
    @Override
    public Path trialDir(Path resultsDir) {
        return resultsDir.toAbsolutePath().normalize();
    }

    @Override
    public java.util.Optional<Path> which(String command) {
        String path = System.getenv("PATH");
        if (path == null) return java.util.Optional.empty();
        for (String d : path.split(File.pathSeparator)) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, command);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return java.util.Optional.of(p);
        }
        return java.util.Optional.empty();
    }

    /** The JVM that runs the harness. */
    @Override
    public List<String> java(List<Path> classpath) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList()));
    }

    @Override
    public Connection connect(Path socket) {
        try {
            java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX);
            try {
                ch.connect(java.net.UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            InputStream in = java.nio.channels.Channels.newInputStream(ch);
            java.io.OutputStream out = java.nio.channels.Channels.newOutputStream(ch);
            return new Connection() {
                @Override
                public InputStream in() {
                    return in;
                }

                @Override
                public java.io.OutputStream out() {
                    return out;
                }

                @Override
                public void close() throws IOException {
                    ch.close();
                }
            };
        } catch (IOException e) {
            throw new NodeException("cannot connect to " + socket + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean mounted(Path mountpoint) {
        try {
            return Mounts.at(mountpoint).isPresent();
        } catch (IOException e) {
            throw new NodeException("cannot read mountinfo for " + mountpoint + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void mount(String type, String source, Path mountpoint, String options) {
        List<String> cmd = Mounting.command(type, source, mountpoint, options);
        CommandResult r = run(cmd, Duration.ofSeconds(30));
        if (!r.ok()) throw new NodeException(String.join(" ", cmd) + " failed (" + r.exitCode() + "): " + r.output().strip());
    }

    @Override
    public void unmount(Path mountpoint) {
        // umount(8) handles FUSE mounts too when run as root; fusermount3 is the unprivileged way.
        CommandResult r = run(List.of("umount", mountpoint.toString()), Duration.ofSeconds(30));
        if (!r.ok()) {
            CommandResult fuse = run(List.of("fusermount3", "-u", mountpoint.toString()), Duration.ofSeconds(30));
            if (!fuse.ok()) throw new NodeException("umount " + mountpoint + " failed: " + r.output().strip());
        }
    }

    @Override
    public Cleanup unmountAtExit(Path mountpoint) {
        LedgerEntry entry = ledger.mount(mountpoint);
        return atExit("unmount " + mountpoint, () -> {
            try {
                if (!Mounts.lazyUnmount(mountpoint)) throw new NodeException(mountpoint + " is still mounted");
            } catch (IOException e) {
                throw new NodeException("cannot read mountinfo for " + mountpoint + ": " + e.getMessage(), e);
            }
            entry.remove();
        });
    }

    @Override
    public Path tempDir(String prefix) {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), prefix + Long.toString(System.nanoTime(), 36)
                + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt()));
        LedgerEntry entry = ledger.tempDir(dir);
        files.mkdirs(dir);
        atExit("delete " + dir, () -> {
            files.delete(dir);
            entry.remove();
        });
        return dir;
    }

    @Override
    public List<String> sweep() {
        return LedgerSweep.sweep(ledger.root());
    }

    @Override
    public Cleanup atExit(String what, Runnable action) {
        Cleanup c = registry.atExit(what, action);
        synchronized (cleanups) {
            cleanups.add(c);
        }
        return c;
    }

    @Override
    public void close() {
        try {
            killMine();
        } finally {
            List<Cleanup> all;
            synchronized (cleanups) {
                all = new ArrayList<>(cleanups);
                cleanups.clear();
            }
            RuntimeException first = null;
            for (int i = all.size() - 1; i >= 0; i--) {
                try {
                    all.get(i).close();
                } catch (RuntimeException e) {
                    if (first == null) first = e;
                }
            }
            ledgerAtExit.close();
            if (first != null) throw first;
        }
    }

    private void killMine() {
        List<NodeProcess> left;
        synchronized (mine) {
            left = List.copyOf(mine.keySet());
        }
        for (NodeProcess p : left) {
            registry.killTracked(p);
        }
        // Wait briefly for the kernel to tear the groups down, so callers may assert nothing is left.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (NodeProcess p : left) {
            while (alive(p) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (!alive(p)) forget(p);
        }
    }
}
