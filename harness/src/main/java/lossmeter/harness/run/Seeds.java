package lossmeter.harness.run;

import java.nio.charset.StandardCharsets;

/**
 * Derives each trial's seed from the campaign seed and the trial's name, not its position, so
 * {@code --seed S --only everysec-kill-3} replays that trial whatever other policies or faults the
 * original campaign had.
 */
public final class Seeds {
    private Seeds() {
    }

    public static long trialSeed(long campaignSeed, TrialId id) {
        long h = campaignSeed;
        for (byte b : id.toString().getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ b);
        }
        return mix(h);
    }

    /** SplitMix64's finalizer: every input bit affects every output bit. */
    static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
