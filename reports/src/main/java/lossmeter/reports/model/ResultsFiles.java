package lossmeter.reports.model;

/**
 * The names of the files and dirs in a campaign's results dir, for the harness that writes them
 * and the reports that read them. Top level: {@link #RESULTS}, {@link #COMPARISON} and the
 * {@link #TRIALS} dir, which holds one dir per trial with the rest.
 */
public final class ResultsFiles {
    public static final String RESULTS = "results.json";
    public static final String COMPARISON = "comparison.json";
    public static final String TRIALS = "trials";
    /** A scenario run's definition (explore, replay): what {@code lossmeter replay} runs. */
    public static final String SCENARIO = "scenario.json";
    /** Beside a shrunk scenario: how it was found and shrunk, its replay rate, its history told whole. */
    public static final String REPRODUCER = "reproducer.json";

    /** A trial's history: one op per line. */
    public static final String HISTORY = "history.jsonl";
    public static final String VERDICT = "verdict.json";
    public static final String CRASHES = "crashes.json";
    public static final String TARGET_LOG = "target.log";
    public static final String EVENTS = "events.log";
    /** The trial's data dir, as the target left it. */
    public static final String DATA = "data";

    private ResultsFiles() {
    }

    /** The copy of the data dir taken after the k-th crash's death, before its restart. */
    public static String crashCopy(int cycle) {
        return "crash-" + cycle + "-data";
    }
}
