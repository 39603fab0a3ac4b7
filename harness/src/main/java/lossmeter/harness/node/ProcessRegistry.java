package lossmeter.harness.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import lossmeter.faults.node.Cleanup;
import lossmeter.faults.node.NodeProcess;

/**
 * Every process group this JVM started on a local node, so that none outlives the run: groups
 * still tracked when the JVM exits (normally, on an uncaught error, or on SIGINT/SIGTERM) are
 * SIGKILLed by their group id from a shutdown hook, which then runs the registered cleanup
 * actions (unmounting what faults mounted). It also remembers every group ever started, so tests
 * can check that nothing was left behind.
 */
public final class ProcessRegistry {
    private static final ProcessRegistry GLOBAL = new ProcessRegistry();

    private final Map<Long, Tracked> live = new LinkedHashMap<>();
    private final List<NodeProcess> everStarted = new ArrayList<>();
    private final List<Action> cleanups = new ArrayList<>();

    /** A cleanup action; runs at most once, whoever gets there first (its owner or the hook). */
    private final class Action implements Cleanup {
        private final String what;
        private final Runnable action;
        private boolean done;

        Action(String what, Runnable action) {
            this.what = what;
            this.action = action;
        }

        @Override
        public void close() {
            synchronized (this) {
                if (done) return;
                done = true;
            }
            synchronized (ProcessRegistry.this) {
                cleanups.remove(this);
            }
            action.run();
        }

        @Override
        public String toString() {
            return what;
        }
    }

    private record Tracked(NodeProcess process, Process handle) {
    }

    private ProcessRegistry() {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("lossmeter-kill-tracked").unstarted(this::exit));
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

    /**
     * Registers an action the shutdown hook runs after killing every tracked group; closing the
     * returned handle runs it now instead (and deregisters it).
     */
    public Cleanup atExit(String what, Runnable action) {
        Action a = new Action(what, action);
        synchronized (this) {
            cleanups.add(a);
        }
        return a;
    }

    /** Cleanup actions registered and not yet run, in registration order (for tests). */
    public synchronized List<String> pendingCleanups() {
        return cleanups.stream().map(Action::toString).toList();
    }

    /**
     * The shutdown hook: kill the groups first (a mounted filesystem is busy while a target has
     * files open on it), then run the cleanups, latest first, each on its own so one failure does
     * not leave the rest undone.
     */
    void exit() {
        killAll();
        List<Action> all;
        synchronized (this) {
            all = new ArrayList<>(cleanups);
        }
        java.util.Collections.reverse(all);
        for (Action a : all) {
            try {
                a.close();
            } catch (RuntimeException e) {
                System.err.println("lossmeter: cleanup '" + a + "' failed: " + e.getMessage());
            }
        }
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
