package lossmeter.workloads.check;

/** The verdict of one crash cycle. Only OK and LOSS_WITHIN_POLICY pass. */
public enum Verdict {
    OK,
    LOSS_WITHIN_POLICY,
    VIOLATION,
    /** The target did not come back, or came back only after repair. */
    UNAVAILABLE,
    /** The harness itself failed; never counted as a pass. */
    INDETERMINATE;

    public boolean passes() {
        return this == OK || this == LOSS_WITHIN_POLICY;
    }

    /** The worse of two verdicts, for summarising several. */
    public Verdict worst(Verdict o) {
        return rank(o) > rank(this) ? o : this;
    }

    private static int rank(Verdict v) {
        return switch (v) {
            case OK -> 0;
            case LOSS_WITHIN_POLICY -> 1;
            case UNAVAILABLE -> 2;
            case INDETERMINATE -> 3;
            case VIOLATION -> 4;
        };
    }
}
