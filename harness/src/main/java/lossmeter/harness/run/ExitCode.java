package lossmeter.harness.run;

/**
 * The exit codes of every command, defined once (the README's table is this enum). When a run
 * has several outcomes the worse one wins, and a failure of the harness outranks a finding: a
 * campaign the harness could not finish proves nothing, whatever else it saw.
 */
public enum ExitCode {
    /** Everything checked passed (or the command did what was asked). */
    PASS(0),
    /** A finding about the target: a violation, an unavailable target, a gate exceeded, a regression. */
    FINDING(1),
    /** Bad usage or configuration, or a results dir in use: a message says what; nothing was started. */
    USAGE(2),
    /** The harness or its infrastructure failed: INDETERMINATE, never a pass and never a finding. */
    INFRA(3);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The outcome to report for a run that saw both: INFRA over FINDING over PASS (USAGE ends a run before it has others). */
    public ExitCode and(ExitCode other) {
        return rank() >= other.rank() ? this : other;
    }

    private int rank() {
        return switch (this) {
            case PASS -> 0;
            case FINDING -> 1;
            case INFRA -> 2;
            case USAGE -> 3;
        };
    }
}
