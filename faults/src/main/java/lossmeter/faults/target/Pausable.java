package lossmeter.faults.target;

/** An optional ability of a running target: freezing and resuming it, for liveness faults. */
public interface Pausable {
    /** Freezes every process of the target (SIGSTOP to its group). */
    void pause();

    /** Resumes a paused target (SIGCONT to its group). */
    void resume();
}
