package lossmeter.workloads.history;

/** The type of a history record: an invocation, or how it completed. */
public enum OpType {
    INVOKE,
    /** Acknowledged: the server said it happened. */
    OK,
    /** Definitely did not happen (the server answered with an error). */
    FAIL,
    /** Outcome unknown (timeout, connection lost): it may or may not have taken effect. */
    INFO;

    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static OpType parse(String s) {
        return valueOf(s.toUpperCase(java.util.Locale.ROOT));
    }
}
