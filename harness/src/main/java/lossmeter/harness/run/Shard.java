package lossmeter.harness.run;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The {@code index}-th (1-based) of {@code count} disjoint slices of a campaign's trials, for CI
 * jobs that run one slice each ({@code --shard I/N}) and {@code lossmeter merge} their results.
 * The trials are shuffled by a permutation drawn from the campaign seed and dealt round-robin, so
 * every slice gets a like share of every cell, and the same seed always makes the same slices.
 */
public record Shard(int index, int count) {
    public static final Shard ALL = new Shard(1, 1);

    public Shard {
        if (count < 1) throw new IllegalArgumentException("--shard I/N: N must be ≥ 1, not " + count);
        if (index < 1 || index > count) throw new IllegalArgumentException("--shard I/N: I must be from 1 to " + count + ", not " + index);
    }

    /** {@code I/N}, e.g. {@code 2/4}. */
    public static Shard parse(String s) {
        String[] parts = s.trim().split("/", -1);
        if (parts.length != 2) throw new IllegalArgumentException("--shard must be I/N, e.g. 2/4, not '" + s + "'");
        try {
            return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--shard must be I/N with whole numbers, e.g. 2/4, not '" + s + "'");
        }
    }

    public boolean isAll() {
        return count == 1;
    }

    /** This slice of {@code all} (the campaign's trials in order), in the same order. */
    public List<TrialId> select(List<TrialId> all, long seed) {
        if (isAll()) return all;
        int n = all.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        // Fisher–Yates with a generator of its own, so the slices do not depend on any trial's seed.
        SplittableRandom random = new SplittableRandom(Seeds.mix(seed ^ 0x5348415244L));
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        boolean[] mine = new boolean[n];
        for (int k = 0; k < n; k++) mine[order[k]] = k % count == index - 1;
        List<TrialId> out = new ArrayList<>();
        for (int i = 0; i < n; i++) if (mine[i]) out.add(all.get(i));
        return out;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
