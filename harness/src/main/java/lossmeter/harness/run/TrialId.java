package lossmeter.harness.run;

import lossmeter.faults.target.Policy;

/**
 * Names one trial of a campaign: {@code <policy>-<fault>-<n>}, n counted from 1. The same string
 * names its results dir and selects it for a replay with {@code --only}.
 */
public record TrialId(Policy policy, String fault, int n) {
    public TrialId {
        if (n < 1) throw new IllegalArgumentException("trial numbers start at 1");
        if (fault.isEmpty()) throw new IllegalArgumentException("empty fault name");
    }

    /** Parses {@code policy-fault-n}; the fault name may itself hold dashes (e.g. {@code power-loss}). */
    public static TrialId parse(String s) {
        int first = s.indexOf('-');
        int last = s.lastIndexOf('-');
        if (first <= 0 || last <= first + 1 || last == s.length() - 1) {
            throw new IllegalArgumentException("bad trial selector '" + s + "': expected <policy>-<fault>-<n>, e.g. everysec-kill-3");
        }
        int n;
        try {
            n = Integer.parseInt(s.substring(last + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad trial selector '" + s + "': '" + s.substring(last + 1) + "' is not a trial number");
        }
        if (n < 1) throw new IllegalArgumentException("bad trial selector '" + s + "': trial numbers start at 1");
        return new TrialId(Policy.parse(s.substring(0, first)), s.substring(first + 1, last), n);
    }

    /** The cell this trial belongs to: {@code policy-fault}. */
    public String cell() {
        return policy.confName() + "-" + fault;
    }

    @Override
    public String toString() {
        return cell() + "-" + n;
    }
}
