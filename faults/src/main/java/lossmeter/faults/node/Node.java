package lossmeter.faults.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a target runs, reduced to what a trial and its faults do there: run a short command, start
 * a long-running process in its own process group and signal that group, handle files
 * ({@link #files()}), and name an address and a free port the harness can reach. Paths are POSIX
 * paths on the node. Everything else a fault may need is an optional ability, a separate
 * interface a node implements when it can ({@link Mounting}, {@link JavaRuntime},
 * {@link UnixSockets}); {@link #ability} asks for one.
 *
 * <p>Every process group started through a node is recorded in the node's ledger before it exists
 * and is stopped by its own group id when the node closes (also on SIGINT), never by name; a
 * {@link #sweep} removes what a killed harness left. Implementations are safe for use by several
 * trials at once.
 */
public interface Node extends Leftovers, AutoCloseable {
    /** A short name for logs and reports: {@code local}, {@code ssh://root@10.0.0.5:22}. */
    String name();

    /** Runs a command to completion (killed when it outlives the timeout) and returns its exit code and output. */
    CommandResult run(List<String> command, Duration timeout);

    /**
     * Starts a long-running process in a new session and process group, so that signalling the
     * group reaches every process it forks. Output (stdout and stderr) is appended to {@code log}
     * (a path on the node); stdin is empty. {@code cwd} null means the node's default directory.
     */
    NodeProcess start(List<String> command, Path cwd, Map<String, String> env, Path log);

    /** Sends a signal to the whole process group; a group that is already gone is not an error. */
    void signal(NodeProcess process, Signal signal);

    /** True while any process of the group is alive (zombies do not count). */
    boolean alive(NodeProcess process);

    /**
     * Records that the group is gone for good, so closing the node does not signal an id the
     * kernel may since have reused.
     */
    void forget(NodeProcess process);

    /** The node's files. */
    NodeFiles files();

    /** The address a target on this node binds and the harness connects to (a loopback address for this machine). */
    String address();

    /** A TCP port that nothing listens on at {@link #address()} now and that this node has not handed out recently. */
    int freePort();

    /**
     * The address a target on this node binds. A machine's target binds {@link #address()}, its
     * loopback; a container's binds its own network namespace's interface, which the harness
     * reaches only through a port published on the host's loopback ({@link #endpoint}).
     */
    default String bindAddress() {
        return address();
    }

    /** Where the harness connects to the port {@code port} that a target on this node listens on. */
    default lossmeter.faults.target.Endpoint endpoint(int port) {
        return new lossmeter.faults.target.Endpoint(address(), port);
    }

    /**
     * Where a trial whose results go to {@code resultsDir} (on the harness's machine) keeps its
     * working files on this node: its data dir, target log and fault files. The local node uses the
     * results dir itself; a remote one a dir under its work dir, which {@link NodeFiles#fetch}
     * copies back and which is deleted when the node closes.
     */
    Path trialDir(Path resultsDir);

    /**
     * A new empty directory for scratch files, recorded in the node's ledger before it is made;
     * deleted when the node closes, and by a sweep when the harness was killed.
     */
    Path tempDir(String prefix);

    /**
     * Registers an action to run once when the node closes or the JVM exits (also on SIGINT),
     * after every process group the node started has been killed; {@code what} names it in errors.
     * Close the returned handle to run it earlier (and only then).
     */
    Cleanup atExit(String what, Runnable action);

    /** The executable {@code command} as a shell on the node finds it on its PATH, if any. */
    default Optional<Path> which(String command) {
        CommandResult r = run(List.of("sh", "-c", "command -v -- \"$0\"", command), Duration.ofSeconds(30));
        String found = r.output().strip();
        return r.ok() && found.startsWith("/") ? Optional.of(Path.of(found)) : Optional.empty();
    }

    /** This node as the given ability, if it has it. */
    default <T> Optional<T> ability(Class<T> kind) {
        return kind.isInstance(this) ? Optional.of(kind.cast(this)) : Optional.empty();
    }

    /** This node as the given ability, or a {@link NodeException} saying what needed it. */
    default <T> T require(Class<T> kind, String forWhat) {
        return ability(kind).orElseThrow(() -> new NodeException("node " + name() + " cannot " + forWhat
                + " (it has no " + kind.getSimpleName() + ")"));
    }

    /** Kills every process group this node started and has not forgotten, then runs its cleanups. */
    @Override
    void close();
}
