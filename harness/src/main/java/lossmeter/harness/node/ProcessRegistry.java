package lossmeter.harness.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import lossmeter.faults.node.NodeProcess;

/**
 * Every process group this JVM started on a local node, so that none outlives the run: groups
 * still tracked when the JVM exits (normally, on an uncaught error, or on SIGINT/SIGTERM) are
 * SIGKILLed by their group id from a shutdown hook. It also remembers every group ever started,
 * so tests can check that nothing was left behind.
 */
public final class ProcessRegistry {
    private static final ProcessRegistry GLOBAL = new ProcessRegistry();

    private final Map<Long, Tracked> live = new LinkedHashMap<>();
    private final List<NodeProcess> everStarted = new ArrayList<>();

    private record Tracked(NodeProcess process, Process handle) {
    }

    private ProcessRegistry() {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("lossmeter-kill-tracked").unstarted(this::killAll));
    }

    /** The one registry of this JVM (a shutdown hook is per JVM). */
    public static ProcessRegistry global() {
        return GLOBAL;
    }

    synchronized void track(NodeProcess process, Process handle) {
        live.put(process.pgid(), new Tracked(process, handle));
        everStarted.add(process);
    }

    synchronized void untrack(NodeProcess process) {
        live.remove(process.pgid());
    }

    /** Groups started and not yet known to be gone. */
    public synchronized List<NodeProcess> tracked() {
        return live.values().stream().map(Tracked::process).toList();
    }

    /** Every group started in this JVM, in start order (for tests that check nothing is left behind). */
    public synchronized List<NodeProcess> everStarted() {
        return List.copyOf(everStarted);
    }

    /** SIGKILLs every tracked group; used by the shutdown hook and by nodes on close. */
    void killAll() {
        List<Tracked> all;
        synchronized (this) {
            all = List.copyOf(live.values());
        }
        for (Tracked t : all) {
            killGroup(t);
        }
    }

    static void killGroup(Tracked t) {
        // The group id reaches fork children too (a rewrite child of redis-server, the server under
        // `sh -c`); the handle is a fallback for the instant before setsid(2) made the group.
        try {
            Process kill = new ProcessBuilder("kill", "-s", "KILL", "--", "-" + t.process().pgid())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Exiting or cleaning up: the fallback below still runs.
        }
        t.handle().destroyForcibly();
    }

    synchronized void killTracked(NodeProcess process) {
        Tracked t = live.get(process.pgid());
        if (t != null) killGroup(t);
    }
}
