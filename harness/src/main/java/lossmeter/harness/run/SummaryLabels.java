package lossmeter.harness.run;

/**
 * Words of the summary table that must not mislead: the crashes column counts each trial's final
 * graceful restart as a checked cycle (as results.json's {@code crashes} does), so it says so, and
 * the last line calls a campaign the harness could not finish INDETERMINATE, not FAIL.
 */
final class SummaryLabels {
    private SummaryLabels() {
    }

    /** e.g. {@code 2 + 2 final} for two trials of {@code --crashes 1}: fault cycles, then final restarts. */
    static String crashes(CampaignResult r, CellResult c) {
        int faultCycles = r.spec().settings().crashes();
        long finals = r.trials().stream()
                .filter(t -> t.id().policy() == c.policy() && t.id().fault().equals(c.fault()))
                .filter(t -> t.crashes().stream().anyMatch(k -> k.cycle() > faultCycles))
                .count();
        return (c.crashes() - finals) + " + " + finals + " final";
    }

    /** PASS, FAIL (a finding about the target) or INDETERMINATE (the harness failed). */
    static String verdict(CampaignResult r) {
        return switch (r.outcome()) {
            case PASS -> "PASS";
            case INFRA -> "INDETERMINATE";
            default -> "FAIL";
        };
    }
}
