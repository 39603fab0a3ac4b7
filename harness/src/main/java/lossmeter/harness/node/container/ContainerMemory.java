package lossmeter.harness.node.container;

import java.time.Duration;
import java.util.List;

import lossmeter.faults.node.NodeException;

/**
 * A container's memory cgroup, for the {@code oom-kill} fault: its use and OOM-kill count (cgroup
 * v1 or v2), its limit, and the OOM scores that make the kernel pick the target rather than the
 * container's init.
 */
final class ContainerMemory {
    /** The memory limit every container starts with (the JVM of the bundled server sizes its heap from it). */
    static final long LIMIT = 1L << 30;
    private static final Duration SHORT = Duration.ofSeconds(30);

    /** Raises (which needs no privilege) the OOM score of every process but the init (pid 1) and its idle child. */
    private static final String FAVOUR = """
            for s in /proc/[0-9]*/stat; do
              read -r line < "$s" 2>/dev/null || continue
              pid=${line%% *}
              rest=${line##*) }
              set -- $rest
              [ "$pid" = 1 ] || [ "$2" = 1 ] || [ "$pid" = $$ ] || echo 1000 > "/proc/$pid/oom_score_adj" 2>/dev/null
            done
            exit 0
            """;

    private final ContainerNode node;
    private final String id;

    ContainerMemory(ContainerNode node, String id) {
        this.node = node;
        this.id = id;
    }

    void favourOomVictims() {
        Exec.Result r = node.exec(List.of(Exec.BUSYBOX, "sh", "-c", FAVOUR), SHORT);
        if (!r.ok()) throw new NodeException("cannot set OOM scores in " + node.name() + ": " + r.output().strip());
    }

    long usage() {
        return cgroupValue("memory.usage_in_bytes", "memory.current", null);
    }

    long oomKills() {
        return cgroupValue("memory.oom_control", "memory.events", "oom_kill");
    }

    /** A value of the container's memory cgroup, on cgroup v1 (memory/) or v2; {@code field} picks a "name value" line. */
    private long cgroupValue(String v1, String v2, String field) {
        Exec.Result r = node.exec(List.of(Exec.BUSYBOX, "sh", "-c", "cat /sys/fs/cgroup/memory/" + v1 + " 2>/dev/null || cat /sys/fs/cgroup/" + v2),
                SHORT);
        if (!r.ok()) throw new NodeException("cannot read the memory cgroup of " + node.name() + ": " + r.output().strip());
        for (String line : r.out().lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (field == null && f.length == 1) return Long.parseLong(f[0]);
            if (field != null && f.length == 2 && f[0].equals(field)) return Long.parseLong(f[1]);
        }
        throw new NodeException("no " + (field == null ? "value" : field) + " in the memory cgroup of " + node.name() + ": " + r.out().strip());
    }

    void limit(long bytes) {
        try {
            Docker.client().updateContainerCmd(id).withMemory(bytes).withMemorySwap(bytes).exec();
        } catch (RuntimeException e) {
            throw new NodeException("cannot set the memory limit of " + node.name() + " to " + bytes + ": " + Docker.rootMessage(e), e);
        }
    }
}
