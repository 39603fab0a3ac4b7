package lossmeter.faults.node;

/** The signals a node can send to a process group, named as {@code kill -s} spells them. */
public enum Signal {
    /** Immediate death: what a crash does to a process (its fork children included). */
    KILL,
    /** A polite request to exit. */
    TERM,
    /** Freezes every process of the group, as a long GC pause or a hung VM would. */
    STOP,
    /** Resumes a group frozen by {@link #STOP}. */
    CONT
}
