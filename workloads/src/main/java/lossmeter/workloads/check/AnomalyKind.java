package lossmeter.workloads.check;

/** The kinds of anomaly, with the names reports and JSON use. */
public enum AnomalyKind {
    /** An acknowledged write is gone, beyond what the policy allows for this fault. */
    LOST_ACKED,
    /** A later write survived while an earlier acknowledged one is gone: what came back is not a prefix. */
    HOLE,
    /** A value or element no client ever wrote. */
    PHANTOM,
    /** An element that appears more often than it was written. */
    DUPLICATE,
    /** Data from before an acknowledged FLUSHALL came back. */
    RESURRECTED,
    /** Part of a MULTI/EXEC survived and part did not. */
    TORN_TXN,
    /** A live read that no linearization of the writes around it explains. */
    STALE_READ,
    /** A value no prefix produces (e.g. damaged bytes served silently). */
    CORRUPT
}
