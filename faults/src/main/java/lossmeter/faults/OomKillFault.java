package lossmeter.faults;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import lossmeter.faults.node.ContainerControl;
import lossmeter.faults.target.Policy;
import lossmeter.faults.target.RunningTarget;
import lossmeter.workloads.check.DurabilityBound;
import lossmeter.workloads.check.FaultClass;

/**
 * The kernel's OOM killer, on a container node: the container's memory limit is lowered to what it
 * uses now plus a little, and a client makes the target allocate (one request whose argument never
 * ends, so the server buffers it and changes no data) until the kernel kills it. A process the
 * kernel kills keeps the page cache, so no policy may lose an acknowledged write. The effect is
 * proven by the container's OOM kill counter, not assumed from the death.
 */
final class OomKillFault implements Fault {
    /** The limit is set this far above the memory in use, so it always takes (cgroup v1 refuses a limit below the use). */
    static final long HEADROOM = 24L << 20;
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(30);
    private static final int CHUNK = 1 << 20;
    /** The argument's declared length: more than the headroom, less than a server's largest accepted bulk (512 MB). */
    private static final long DECLARED = 400_000_000L;

    @Override
    public String name() {
        return "oom-kill";
    }

    @Override
    public FaultClass faultClass() {
        return FaultClass.CRASH;
    }

    @Override
    public void inject(FaultContext trial) {
        ContainerControl c = trial.node().require(ContainerControl.class, "lower a memory limit (oom-kill runs on container nodes)");
        RunningTarget t = trial.target();
        c.favourOomVictims();
        long killsBefore = c.oomKills();
        long usage = c.memoryUsage();
        long limit = usage + HEADROOM;
        trial.markCrash();
        long started = System.nanoTime();
        boolean broke;
        try {
            c.limitMemory(limit);
            trial.note("memory limit of container " + c.containerId() + " lowered to " + mib(limit) + " (" + mib(usage)
                    + " in use); a client now makes " + t + " allocate");
            broke = fill(t);
        } finally {
            // Restored before anything else runs in the container: under the low limit any other
            // process (a command the harness runs there) could be the next victim.
            c.restoreMemoryLimit();
        }
        boolean died = broke ? gone(t) : !t.alive();
        long kills = c.oomKills() - killsBefore;
        long ms = (System.nanoTime() - started) / 1_000_000;
        trial.recordCrashPoint(CrashPoint.time());
        if (died && kills > 0) {
            trial.note("the OOM killer killed the target after " + ms + "ms (container OOM kills: +" + kills + "); memory limit restored");
            trial.recordEffect(FaultEffect.effective("killed by the kernel's OOM killer " + ms + "ms after the limit was lowered to "
                    + mib(limit), Map.of("limitBytes", limit, "oomKills", kills, "killMs", ms)));
        } else {
            // Never a silent no-op: the cycle still ends the target, and the record says the OOM killer did not.
            String why = died ? "the target died, but the container's OOM kill counter did not move"
                    : "the target was still alive " + KILL_TIMEOUT.toSeconds() + "s after the limit was lowered";
            if (!died) t.kill();
            trial.note(why + "; " + (died ? "" : "SIGKILL instead; ") + "memory limit restored");
            trial.recordEffect(FaultEffect.none(why, Map.of("limitBytes", limit, "oomKills", kills)));
        }
    }

    /**
     * Streams the argument until the connection breaks (the target died, or refused it) or the
     * timeout passes; true when it broke. Nothing else is asked of the container meanwhile.
     */
    private static boolean fill(RunningTarget t) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(t.endpoint().host(), t.endpoint().port()), 5_000);
            java.util.concurrent.CountDownLatch broke = new java.util.concurrent.CountDownLatch(1);
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    out.write(("*2\r\n$4\r\nECHO\r\n$" + DECLARED + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = new byte[CHUNK];
                    java.util.Arrays.fill(chunk, (byte) 'x');
                    for (long sent = 0; sent + CHUNK < DECLARED; sent += CHUNK) out.write(chunk);
                } catch (IOException closed) {
                    broke.countDown();
                }
            });
            boolean ended = broke.await(KILL_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            writer.interrupt();
            return ended;
        } catch (IOException e) {
            // Could not even connect: the target is likely already dead; alive() decides.
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during oom-kill", e);
        }
    }

    /** True once the target is dead, within a few seconds (a killed process takes a moment to go). */
    private static boolean gone(RunningTarget t) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!t.alive()) return true;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during oom-kill", e);
            }
        }
        return false;
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }

    @Override
    public java.util.Set<Class<?>> needs() {
        return java.util.Set.of(ContainerControl.class);
    }

    @Override
    public DurabilityBound bound(Policy policy, Duration window) {
        return DurabilityBound.NONE;
    }
}
