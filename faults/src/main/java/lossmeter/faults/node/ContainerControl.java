package lossmeter.faults.node;

import java.time.Duration;

/**
 * A node that is a container, with what only a container offers a fault: the cgroup freezer, a
 * memory limit the kernel enforces with its OOM killer, and a stop and start of the whole
 * container whose data dir lives on a volume.
 */
public interface ContainerControl {
    /** The container's id, for notes. */
    String containerId();

    /** Freezes every process of the container (the cgroup freezer). */
    void pause();

    /** Thaws a paused container. */
    void unpause();

    /**
     * Makes every process of the container but its init and the init's idle child the OOM killer's
     * first choice, so that when the container runs out of memory the kernel kills the target,
     * never what keeps the container running.
     */
    void favourOomVictims();

    /** The container's current memory use in bytes, as its cgroup counts it (page cache included). */
    long memoryUsage();

    /** Sets the container's memory limit (and memory+swap, so nothing swaps) to {@code bytes}. */
    void limitMemory(long bytes);

    /** Puts back the memory limit the container was created with. */
    void restoreMemoryLimit();

    /** How many processes the kernel's OOM killer has killed in this container so far. */
    long oomKills();

    /**
     * Stops the whole container at once (every process gets SIGKILL; the init too) and starts it
     * again; its volumes, and with them the trial's data dir, are kept. Process groups started
     * before are gone afterwards.
     */
    void restartContainer(Duration startTimeout);
}
