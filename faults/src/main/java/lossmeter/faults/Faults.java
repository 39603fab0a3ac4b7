package lossmeter.faults;

import java.util.List;

import lossmeter.workloads.check.FaultClass;

/**
 * The built-in faults: one static factory each, returning a {@link FaultSpec} (a name and a
 * factory of fresh per-trial instances), and the catalogue by name for the command line.
 */
public final class Faults {
    /**
     * One line of the catalogue: the fault, its class, what it does and what a correct server
     * shows. Whether a loss-window gate applies is the fault's own answer ({@link Fault#policyGoverned()}).
     */
    public record Entry(FaultSpec spec, FaultClass faultClass, String does, String expected) {
        public String name() {
            return spec.name();
        }
    }

    private static final List<Entry> CATALOGUE = List.of(
            new Entry(kill(), FaultClass.CRASH, "SIGKILL the target's whole process group",
                    "no loss under any policy"),
            new Entry(restart(), FaultClass.CRASH, "graceful SHUTDOWN, then restart (a control)",
                    "no loss under any policy"),
            new Entry(pause(), FaultClass.LIVENESS, "SIGSTOP the process group for 1-3x the op timeout, then SIGCONT",
                    "timeouts become info ops; nothing else (no loss, no anomaly)"),
            new Entry(truncate(), FaultClass.MEDIA, "SIGKILL, then cut a data file (seeded) at a seeded offset",
                    "detected (refuses to start, says why) or explained as lost suffix; never silent"),
            new Entry(corrupt(), FaultClass.MEDIA, "SIGKILL, then zero a block or flip a bit in a data file (seeded)",
                    "detected (refuses to start, says why) or explained; never silent"),
            new Entry(crashDuringRewrite(), FaultClass.CRASH, "SIGKILL at a seeded point of a slowed BGREWRITEAOF",
                    "always: no loss; everysec: loss <= W; no: a prefix"),
            new Entry(crashDuringBgsave(), FaultClass.CRASH, "RDB-only config; SIGKILL in the middle of a slowed BGSAVE",
                    "loss back to the last completed save, no further"),
            new Entry(powerLoss(), FaultClass.CRASH, "lossyfs over the data dir; SIGKILL, then drop every unsynced byte",
                    "always: no loss; everysec: loss <= W; no: a prefix, window reported"),
            new Entry(tornWrite(), FaultClass.CRASH, "lossyfs; SIGKILL, then keep a seeded part of the unsynced data (sectors or prefix)",
                    "always: no loss; everysec: loss <= W; no: a prefix"),
            new Entry(slowDisk(), FaultClass.CRASH, "lossyfs; an fsync (or write) stalled for a seeded 0.5-3s, SIGKILL while it is stalled",
                    "no loss under any policy (a process kill keeps the page cache)"),
            new Entry(diskFull(), FaultClass.RESOURCE, "lossyfs; ENOSPC for a seeded 0.5-2s, space returns, then a power loss",
                    "errors or exit, no ack for unpersisted data; always: no loss; everysec: loss <= W; no: a prefix"),
            // Not gated by the window from the crash: the data a failed fsync drops was acknowledged up to W
            // before the failures began, so the checker judges it against that instant (a horizon bound).
            new Entry(fsyncEio(), FaultClass.RESOURCE, "lossyfs; fsync fails with EIO for a seeded 0.3-1.5s, then a power loss",
                    "no ack after a failed fsync (exit is fine); always: no loss; everysec: nothing acked more than W "
                            + "before the first failed fsync is lost; no: a prefix"),
            new Entry(oomKill(), FaultClass.CRASH, "container nodes; memory limit lowered, the target made to allocate until the kernel's OOM killer kills it",
                    "no loss under any policy (a killed process keeps the page cache)"),
            new Entry(containerRestart(), FaultClass.CRASH, "container nodes; the whole container stopped (SIGKILL to all) and started, data on a volume",
                    "no loss under any policy (the host keeps the page cache)"));

    /** Every fault name, in catalogue order. */
    public static final List<String> NAMES = CATALOGUE.stream().map(Entry::name).toList();

    private Faults() {
    }

    public static List<Entry> catalogue() {
        return CATALOGUE;
    }

    /** SIGKILL the target's process group. */
    public static FaultSpec kill() {
        return FaultSpec.of(ProcessFault::kill);
    }

    /** Graceful SHUTDOWN, then restart. */
    public static FaultSpec restart() {
        return FaultSpec.of(ProcessFault::restart);
    }

    /** SIGSTOP/SIGCONT the target's process group for a seeded 1–3× the op timeout. */
    public static FaultSpec pause() {
        return FaultSpec.of(PauseFault::new);
    }

    /** Kill, then cut a data file at a seeded offset. */
    public static FaultSpec truncate() {
        return FaultSpec.of(TruncateFault::new);
    }

    /** Kill, then zero a block or flip a bit in a data file. */
    public static FaultSpec corrupt() {
        return FaultSpec.of(CorruptFault::new);
    }

    /** Kill at a seeded point of a slowed BGREWRITEAOF. */
    public static FaultSpec crashDuringRewrite() {
        return FaultSpec.of(RewriteCrashFault::new);
    }

    /** RDB-only: kill in the middle of a slowed BGSAVE, after one that completed. */
    public static FaultSpec crashDuringBgsave() {
        return FaultSpec.of(BgsaveCrashFault::new);
    }

    /** lossyfs over the data dir; SIGKILL, then every unsynced byte is dropped. */
    public static FaultSpec powerLoss() {
        return FaultSpec.of(PowerLossFault::new);
    }

    /** lossyfs; SIGKILL, then a seeded part of the unsynced data survives (sectors or a prefix). */
    public static FaultSpec tornWrite() {
        return FaultSpec.of(TornWriteFault::new);
    }

    /** lossyfs; an fsync (or write) stalled for a seeded 0.5–3 s, and a SIGKILL while it is stalled. */
    public static FaultSpec slowDisk() {
        return FaultSpec.of(SlowDiskFault::new);
    }

    /** lossyfs; ENOSPC for a seeded period during the workload, then a power loss. */
    public static FaultSpec diskFull() {
        return FaultSpec.of(DiskFullFault::new);
    }

    /** lossyfs; fsync fails with EIO for a seeded period, then a power loss. */
    public static FaultSpec fsyncEio() {
        return FaultSpec.of(FsyncEioFault::new);
    }

    /** Container nodes: the memory limit lowered until the kernel's OOM killer kills the target. */
    public static FaultSpec oomKill() {
        return FaultSpec.of(OomKillFault::new);
    }

    /** Container nodes: the whole container stopped at once and started again, its data volume kept. */
    public static FaultSpec containerRestart() {
        return FaultSpec.of(ContainerRestartFault::new);
    }

    /** The named fault's spec; each {@link FaultSpec#create()} is a fresh instance (faults keep per-trial state). */
    public static FaultSpec byName(String name) {
        for (Entry e : CATALOGUE) {
            if (e.name().equals(name)) return e.spec();
        }
        throw new IllegalArgumentException("unknown fault '" + name + "' (one of " + String.join(", ", NAMES) + ")");
    }
}
