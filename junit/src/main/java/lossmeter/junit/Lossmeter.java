package lossmeter.junit;

import lossmeter.harness.run.CampaignResult;

/**
 * The Java entry point: {@code Lossmeter.campaign()…run()} runs a campaign the way
 * {@code ./lossmeter run} does (same results dir, reports and verdicts), and
 * {@code Lossmeter.assertThat(result)} judges it with the evidence in the failure message.
 */
public final class Lossmeter {
    private Lossmeter() {
    }

    /** A campaign to configure; every setting has the command line's default. */
    public static CampaignBuilder campaign() {
        return new CampaignBuilder();
    }

    /** AssertJ-style assertions on a finished campaign. */
    public static CampaignAssert assertThat(CampaignResult actual) {
        return new CampaignAssert(actual);
    }
}
