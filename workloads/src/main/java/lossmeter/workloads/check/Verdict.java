package lossmeter.workloads.check;

/** The verdict of one crash cycle. OK and LOSS_WITHIN_POLICY pass; see {@link #passesFor} for the one exception. */
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

    /**
     * Whether this verdict is a correct outcome for a fault of that class: as {@link #passes()},
     * except that refusing to start after MEDIA damage (UNAVAILABLE) is a correct answer to
     * corruption, while after any other fault an unavailable target is a failure.
     */
    public boolean passesFor(FaultClass faultClass) {
        return passes() || this == UNAVAILABLE && faultClass == FaultClass.MEDIA;
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
