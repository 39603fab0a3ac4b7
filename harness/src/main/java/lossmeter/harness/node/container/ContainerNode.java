package lossmeter.harness.node.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Device;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;

import org.awaitility.core.ConditionTimeoutException;

import lossmeter.faults.node.Cleanup;
import lossmeter.faults.node.CommandResult;
import lossmeter.faults.node.ContainerControl;
import lossmeter.faults.node.JavaRuntime;
import lossmeter.faults.node.Mounting;
import lossmeter.faults.node.Node;
import lossmeter.faults.node.NodeException;
import lossmeter.faults.node.NodeFiles;
import lossmeter.faults.node.NodeProcess;
import lossmeter.faults.node.Signal;
import lossmeter.faults.node.UnixSockets;
import lossmeter.faults.target.Endpoint;
import lossmeter.harness.node.ProcessRegistry;

import static org.awaitility.Awaitility.await;

/**
 * One fresh container for one trial: created from lossmeter's node image (or a user's image with
 * lossmeter's tools on a read-only volume at {@code /.lossmeter}), with docker-init as PID 1 and an
 * idle busybox sleep as its child, so the target runs beside them and can be killed and restarted
 * inside the same container. The trial's files live on an anonymous volume at {@code /work}, which
 * a container restart keeps. The target binds the container's own interface; the harness reaches
 * it through ports published on the host's loopback only. Everything runs through the daemon's
 * exec API; the container is removed with its volume when the node closes (also on SIGINT), and a
 * sweep removes the ones a killed harness left.
 */
public final class ContainerNode implements Node, Mounting, JavaRuntime, UnixSockets, ContainerControl {
    static final String WORK = "/work";
    private static final int FIRST_PORT = 7000;
    private static final int PORTS = 8;
    private static final Duration SHORT = Duration.ofSeconds(30);
    private static final String START = """
            cd "$1" || exit 97
            log=$2; shift 2
            while [ "$1" != "--" ]; do export "$1"; shift; done; shift
            B=/.lossmeter/bin/busybox
            $B setsid $B sh -c 'echo $$; exec "$@" </dev/null >>"$0" 2>&1' "$log" "$@" &
            """;
    private static final String ALIVE = """
            for s in /proc/[0-9]*/stat; do
              read -r line < "$s" 2>/dev/null || continue
              rest=${line##*) }
              set -- $rest
              [ "$3" = "$0" ] && [ "$1" != Z ] && exit 0
            done
            exit 1
            """;

    private final String name;
    private final String id;
    private final List<String> env;
    private final ContainerFiles files = new ContainerFiles(this);
    private final ContainerMemory memory;
    private final Set<NodeProcess> live = new HashSet<>();
    private final List<Cleanup> cleanups = new ArrayList<>();
    private final AtomicInteger counter = new AtomicInteger();
    private final Cleanup atJvmExit;
    private volatile Map<Integer, Integer> published;
    private volatile boolean closed;

    private ContainerNode(String name, String id, List<String> env) {
        this.name = name;
        this.id = id;
        this.env = env;
        this.memory = new ContainerMemory(this, id);
        this.atJvmExit = ProcessRegistry.global().atExit("remove container " + Docker.shortId(id), this::removeAtExit);
    }

    /**
     * At the harness's exit (SIGINT): the container is removed with everything in it. Its own
     * cleanups (unmounts and processes inside it, each an exec) are left out: the removal takes
     * them anyway, and on a loaded machine they would delay the exit by seconds each.
     */
    private void removeAtExit() {
        closed = true;
        Docker.remove(id);
    }

    /**
     * Creates and starts a container for one trial. {@code image} null: lossmeter's node image;
     * else a user's image (which must be on the daemon already: nothing is pulled), with {@code
     * toolsVolume} mounted read-only at {@code /.lossmeter}.
     */
    static ContainerNode start(String name, String image, String toolsVolume, String run) {
        DockerClient docker = Docker.client();
        List<ExposedPort> ports = new ArrayList<>();
        Ports bindings = new Ports();
        for (int p = FIRST_PORT; p < FIRST_PORT + PORTS; p++) {
            ExposedPort e = ExposedPort.tcp(p);
            ports.add(e);
            bindings.bind(e, Ports.Binding.bindIp("127.0.0.1"));
        }
        String from = image == null ? NodeImage.ensure(null) : image;
        List<String> env = new ArrayList<>();
        String path = NodeImage.BIN;
        if (image != null) {
            List<String> imageEnv = Containers.imageEnv(image);
            for (String kv : imageEnv) {
                if (kv.startsWith("PATH=")) path = kv.substring(5) + ":" + NodeImage.BIN;
                else env.add(kv);
            }
            if (path.equals(NodeImage.BIN)) path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:" + NodeImage.BIN;
        }
        env.add("PATH=" + path);
        HostConfig host = HostConfig.newHostConfig().withInit(true).withPortBindings(bindings).withMemory(ContainerMemory.LIMIT).withMemorySwap(ContainerMemory.LIMIT)
                .withCapAdd(Capability.SYS_ADMIN).withSecurityOpts(List.of("apparmor:unconfined"));
        if (Files.exists(Path.of("/dev/fuse"))) host.withDevices(Device.parse("/dev/fuse"));
        if (toolsVolume != null) host.withBinds(Bind.parse(toolsVolume + ":" + Exec.TOOLS + ":ro"));
        Map<String, String> labels = Map.of(Docker.OWNER, Docker.owner(), Docker.RUN, run, Docker.ROLE, "node");
        CreateContainerCmd create = docker.createContainerCmd(from).withLabels(labels).withEnv(env).withExposedPorts(ports)
                .withVolumes(new Volume(WORK)).withWorkingDir(WORK).withUser("0").withHostConfig(host)
                .withEntrypoint(NodeImage.BIN + "/sleep", "2147483647").withCmd(List.of());
        String id;
        try {
            id = create.exec().getId();
        } catch (RuntimeException e) {
            throw new NodeException("cannot create a container from " + from + ": " + Docker.rootMessage(e), e);
        }
        ContainerNode node = new ContainerNode(name, id, env);
        try {
            docker.startContainerCmd(id).exec();
            node.refreshPorts();
        } catch (RuntimeException e) {
            node.close();
            throw new NodeException("cannot start container " + Docker.shortId(id) + " from " + from + ": " + Docker.rootMessage(e), e);
        }
        return node;
    }

    Exec.Result exec(List<String> command, Duration timeout) {
        if (closed) throw new NodeException("node " + name + " is closed");
        return Exec.run(id, command, List.of(), timeout);
    }

    /** Starts {@code command} in the container with its stdin and stdout as streams (see {@link RelayConnection}). */
    Exec.Stream stream(List<String> command) throws java.io.IOException {
        if (closed) throw new NodeException("node " + name + " is closed");
        return new Exec.Stream(id, command, List.of());
    }

    private void refreshPorts() {
        InspectContainerResponse info = Docker.client().inspectContainerCmd(id).exec();
        Map<Integer, Integer> out = new HashMap<>();
        info.getNetworkSettings().getPorts().getBindings().forEach((port, binds) -> {
            if (binds != null && binds.length > 0) out.put(port.getPort(), Integer.parseInt(binds[0].getHostPortSpec()));
        });
        if (out.size() < PORTS) throw new NodeException("container " + Docker.shortId(id) + " published " + out.size() + " of " + PORTS + " ports");
        published = out;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String containerId() {
        return Docker.shortId(id);
    }

    @Override
    public CommandResult run(List<String> command, Duration timeout) {
        Exec.Result r = exec(command, timeout);
        return new CommandResult(r.exitCode(), r.output());
    }

    @Override
    public NodeProcess start(List<String> command, Path cwd, Map<String, String> env, Path log) {
        List<String> cmd = new ArrayList<>(List.of(Exec.BUSYBOX, "sh", "-c", START, "start", cwd == null ? WORK : cwd.toString(), log.toString()));
        env.forEach((k, v) -> cmd.add(k + "=" + v));
        cmd.add("--");
        cmd.addAll(command);
        Exec.Result r = exec(cmd, SHORT);
        String first = r.out().lines().findFirst().orElse("").strip();
        if (!r.ok() || !first.matches("\\d+")) {
            throw new NodeException("cannot start " + command.getFirst() + " in " + name + " (" + r.exitCode() + "): " + r.output().strip());
        }
        long pid = Long.parseLong(first);
        NodeProcess p = new NodeProcess(pid, pid, command, log);
        synchronized (live) {
            live.add(p);
        }
        return p;
    }

    @Override
    public void signal(NodeProcess process, Signal signal) {
        synchronized (live) {
            if (!live.contains(process)) return;
        }
        exec(List.of(Exec.BUSYBOX, "kill", "-" + signal.name(), "--", "-" + process.pgid()), SHORT);
    }

    @Override
    public boolean alive(NodeProcess process) {
        synchronized (live) {
            // A group started before a container restart died with it; its id may name a new process now.
            if (!live.contains(process)) return false;
        }
        return exec(List.of(Exec.BUSYBOX, "sh", "-c", ALIVE, Long.toString(process.pgid())), SHORT).ok();
    }

    @Override
    public void forget(NodeProcess process) {
        synchronized (live) {
            live.remove(process);
        }
    }

    @Override
    public NodeFiles files() {
        return files;
    }

    @Override
    public String address() {
        return "127.0.0.1";
    }

    @Override
    public String bindAddress() {
        return "0.0.0.0";
    }

    @Override
    public Endpoint endpoint(int port) {
        Integer host = published.get(port);
        if (host == null) throw new NodeException("port " + port + " of " + name + " is not published (ports " + FIRST_PORT + "–"
                + (FIRST_PORT + PORTS - 1) + " are)");
        return new Endpoint(address(), host);
    }

    @Override
    public int freePort() {
        return FIRST_PORT + Math.floorMod(counter.getAndIncrement(), PORTS);
    }

    @Override
    public Path trialDir(Path resultsDir) {
        return Path.of(WORK, resultsDir.getFileName().toString());
    }

    @Override
    public Path tempDir(String prefix) {
        Path dir = Path.of(WORK, "tmp", prefix + counter.incrementAndGet());
        files.mkdirs(dir);
        return dir;
    }

    @Override
    public Cleanup atExit(String what, Runnable action) {
        Cleanup c = ProcessRegistry.global().atExit(what + " in " + name, action);
        synchronized (cleanups) {
            cleanups.add(c);
        }
        return c;
    }

    @Override
    public List<String> sweep() {
        return Docker.sweep();
    }

    // ---- Mounting ----

    @Override
    public void mount(String type, String source, Path mountpoint, String options) {
        List<String> cmd = new ArrayList<>(List.of(Exec.BUSYBOX));
        cmd.addAll(Mounting.command(type, source, mountpoint, options));
        Exec.Result r = exec(cmd, SHORT);
        if (!r.ok()) throw new NodeException("cannot mount " + type + " at " + mountpoint + " in " + name + ": " + r.output().strip());
    }

    @Override
    public void unmount(Path mountpoint) {
        if (!mounted(mountpoint)) return;
        Exec.Result r = exec(List.of(Exec.BUSYBOX, "umount", "-l", mountpoint.toString()), SHORT);
        if (!r.ok() && mounted(mountpoint)) throw new NodeException("cannot unmount " + mountpoint + " in " + name + ": " + r.output().strip());
    }

    @Override
    public boolean mounted(Path mountpoint) {
        Exec.Result r = exec(List.of(Exec.BUSYBOX, "cat", "/proc/self/mountinfo"), SHORT);
        String want = mountpoint.toAbsolutePath().normalize().toString();
        return r.out().lines().map(l -> l.split(" ")).filter(f -> f.length > 4).anyMatch(f -> unescape(f[4]).equals(want));
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    @Override
    public Cleanup unmountAtExit(Path mountpoint) {
        // Removing the container takes every mount in it along; this undoes one earlier.
        return atExit("unmount " + mountpoint, () -> {
            if (!closed) unmount(mountpoint);
        });
    }

    // ---- JavaRuntime ----

    @Override
    public List<String> java(List<Path> classpath) {
        return List.of(NodeImage.BIN + "/java", "-cp", String.join(":", NodeImage.inImage(classpath).stream().map(Path::toString).toList()));
    }

    /** The Java runtime in the container, for people: its path and feature version. */
    public String runtime() {
        Exec.Result r = exec(List.of(NodeImage.BIN + "/java", "-XX:+UseSerialGC", "-version"), SHORT);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("version \"(\\d+)").matcher(r.output());
        return Exec.TOOLS + "/jre" + (m.find() ? " (" + m.group(1) + ")" : " (not runnable: " + r.output().strip() + ")");
    }

    // ---- UnixSockets ----

    @Override
    public Connection connect(Path socket) {
        return RelayConnection.open(this, socket);
    }

    // ---- ContainerControl ----

    @Override
    public void pause() {
        Docker.client().pauseContainerCmd(id).exec();
    }

    @Override
    public void unpause() {
        Docker.client().unpauseContainerCmd(id).exec();
    }

    @Override
    public void favourOomVictims() {
        memory.favourOomVictims();
    }

    @Override
    public long memoryUsage() {
        return memory.usage();
    }

    @Override
    public long oomKills() {
        return memory.oomKills();
    }

    @Override
    public void limitMemory(long bytes) {
        memory.limit(bytes);
    }

    @Override
    public void restoreMemoryLimit() {
        memory.limit(ContainerMemory.LIMIT);
    }

    @Override
    public void restartContainer(Duration startTimeout) {
        DockerClient docker = Docker.client();
        synchronized (live) {
            live.clear();
        }
        docker.killContainerCmd(id).exec();
        try {
            await("container " + containerId() + " stopped").atMost(startTimeout).pollInterval(Duration.ofMillis(50))
                    .until(() -> !Boolean.TRUE.equals(docker.inspectContainerCmd(id).exec().getState().getRunning()));
            docker.startContainerCmd(id).exec();
            await("container " + containerId() + " running").atMost(startTimeout).pollInterval(Duration.ofMillis(50))
                    .until(() -> Boolean.TRUE.equals(docker.inspectContainerCmd(id).exec().getState().getRunning()));
        } catch (ConditionTimeoutException e) {
            throw new NodeException("container " + containerId() + " did not restart: " + e.getMessage(), e);
        }
        refreshPorts();
    }

    @Override
    public void close() {
        if (closed) return;
        List<Cleanup> todo;
        synchronized (cleanups) {
            todo = new ArrayList<>(cleanups);
            cleanups.clear();
        }
        for (Cleanup c : todo.reversed()) {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // The container's removal below takes what a cleanup could not.
            }
        }
        closed = true;
        try {
            Docker.remove(id);
        } finally {
            atJvmExit.close();
        }
    }

    @Override
    public String toString() {
        return name + " (container " + containerId() + ")";
    }
}
