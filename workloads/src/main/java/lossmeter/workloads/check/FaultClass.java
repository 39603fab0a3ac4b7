package lossmeter.workloads.check;

/** The four classes of fault in docs/design.md's catalogue; they decide how a fault's outcome is judged. */
public enum FaultClass {
    /** Leaves a state a real crash could leave (kill, power loss, torn writes, crash during a rewrite). */
    CRASH,
    /** Takes a resource away for a while (disk full, failing fsync). */
    RESOURCE,
    /** Damages bytes that were already durable (truncation, bit flips); loss is expected, silence is not. */
    MEDIA,
    /** Stalls the target without losing anything (pause). */
    LIVENESS
}
