package lossmeter.harness.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import lossmeter.faults.FaultSpec;
import lossmeter.faults.node.Shell;
import lossmeter.harness.node.NodeSpec;
import lossmeter.faults.target.Policy;
import lossmeter.harness.target.Target;

/**
 * A campaign: policies × faults × trials against one target with one seed, the shared trial
 * settings, where results go, the loss gate, optionally the one trial to run ({@code --only}), and
 * the share of a cell's crashes that must take effect ({@code --require-effect}, in percent).
 * Faults are held as specs (name + factory), each trial building its own instance; the fault of
 * {@code only} must be one of them.
 */
public record CampaignSpec(Target target, List<Policy> policies, List<FaultSpec> faults, int trials, TrialSettings settings,
                           long seed, Path out, LossGate gate, TrialId only, double requireEffectPercent, Fleet fleet, Shard shard) {
    public static final double DEFAULT_REQUIRE_EFFECT = 50;

    public CampaignSpec {
        policies = List.copyOf(policies);
        if (fleet == null) fleet = Fleet.local();
        if (shard == null) shard = Shard.ALL;
        if (only != null && !shard.isAll()) throw new IllegalArgumentException("--only runs one trial; it cannot be combined with --shard");
        faults = List.copyOf(faults);
        if (trials < 1) throw new IllegalArgumentException("--trials must be ≥ 1");
        if (policies.isEmpty()) throw new IllegalArgumentException("--policies is empty");
        if (faults.isEmpty()) throw new IllegalArgumentException("--faults is empty");
        if (faults.stream().map(FaultSpec::name).distinct().count() != faults.size()) {
            throw new IllegalArgumentException("--faults names a fault twice: " + faults);
        }
        if (only != null && faults.stream().noneMatch(f -> f.name().equals(only.fault()))) {
            throw new IllegalArgumentException("--only " + only + ": fault '" + only.fault() + "' is not among the faults " + faults);
        }
        for (FaultSpec f : faults) {
            for (NodeSpec n : fleet.nodes()) {
                java.util.Set<Class<?>> missing = new java.util.HashSet<>(f.needs());
                missing.removeAll(n.abilities());
                if (!missing.isEmpty()) {
                    throw new IllegalArgumentException("fault " + f.name() + " cannot run on " + n.kind() + " nodes (" + n.name()
                            + "): it needs " + String.join(", ", missing.stream().map(Class::getSimpleName).sorted().toList())
                            + (missing.contains(lossmeter.faults.node.ContainerControl.class) ? "; run it with --nodes container[:N]" : "")
                            + " (see ./lossmeter faults)");
                }
            }
        }
        if (!(requireEffectPercent >= 0 && requireEffectPercent <= 100)) {
            throw new IllegalArgumentException("--require-effect must be a percentage from 0 to 100, not " + requireEffectPercent);
        }
    }

    public CampaignSpec(Target target, List<Policy> policies, List<FaultSpec> faults, int trials, TrialSettings settings, long seed,
                        Path out, LossGate gate, TrialId only) {
        this(target, policies, faults, trials, settings, seed, out, gate, only, DEFAULT_REQUIRE_EFFECT);
    }

    /** On this machine, one trial at a time, every trial. */
    public CampaignSpec(Target target, List<Policy> policies, List<FaultSpec> faults, int trials, TrialSettings settings, long seed,
                        Path out, LossGate gate, TrialId only, double requireEffectPercent) {
        this(target, policies, faults, trials, settings, seed, out, gate, only, requireEffectPercent, Fleet.local(), Shard.ALL);
    }

    /** The same campaign on another fleet. */
    public CampaignSpec on(Fleet other) {
        return new CampaignSpec(target, policies, faults, trials, settings, seed, out, gate, only, requireEffectPercent, other, shard);
    }

    /** The same campaign, one slice of it. */
    public CampaignSpec slice(Shard other) {
        return new CampaignSpec(target, policies, faults, trials, settings, seed, out, gate, only, requireEffectPercent, fleet, other);
    }

    /** The trials to run, in order: every policy, every fault, trials 1..n; or just the selected one; or this shard's slice of them. */
    public List<TrialId> trialIds() {
        if (only != null) return List.of(only);
        return shard.select(allTrialIds(), seed);
    }

    /** Every trial of the campaign, whatever the shard: every policy, every fault, trials 1..n. */
    public List<TrialId> allTrialIds() {
        List<TrialId> ids = new ArrayList<>();
        for (Policy p : policies) {
            for (FaultSpec f : faults) {
                for (int n = 1; n <= trials; n++) ids.add(new TrialId(p, f.name(), n));
            }
        }
        return ids;
    }

    /** The campaign's fault of that name. */
    public FaultSpec fault(String name) {
        return faults.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no fault '" + name + "' in this campaign " + faults));
    }

    /** The command that runs exactly this trial again, with the same seed and settings. */
    public String reproduceCommand(TrialId id) {
        return reproduceCommand(id, "local");
    }

    /** The command that runs exactly this trial again on the node it ran on ({@code local}: this machine). */
    public String reproduceCommand(TrialId id, String node) {
        if (settings.plan() != null && settings.plan().replay() != null) return settings.plan().replay();
        List<String> args = trialArgs();
        if (node != null && !node.equals("local")) {
            // The node's own flags (an SSH login, a container image), so the command works as printed.
            args.addAll(fleet.nodes().stream().filter(n -> n.name().equals(node)).findFirst().map(NodeSpec::flags)
                    .orElse(List.of("--nodes", node)));
        }
        args.addAll(List.of("--seed", Long.toString(seed), "--only", id.toString()));
        return Shell.join(args);
    }

    /**
     * What makes two runs parts of one campaign: every setting that shapes its trials and its
     * verdict, without where it ran, where its results went and which shard it was. Shards merge
     * only when this is the same.
     */
    public String campaignKey() {
        List<String> args = trialArgs();
        args.addAll(List.of("--policies", String.join(",", policies.stream().map(Policy::confName).toList()),
                "--faults", String.join(",", faults.stream().map(FaultSpec::name).toList()), "--trials", Integer.toString(trials),
                "--gate", gate.toString(), "--require-effect", Double.toString(requireEffectPercent), "--seed", Long.toString(seed)));
        if (only != null) args.addAll(List.of("--only", only.toString()));
        return Shell.join(args.subList(2, args.size()));
    }

    /** The flags that shape a trial, after {@code ./lossmeter run}. */
    private List<String> trialArgs() {
        TrialSettings s = settings;
        List<String> args = new ArrayList<>(List.of("./lossmeter", "run", "--target", target.spec(),
                "--workload", s.workload().name(), "--keys", Integer.toString(s.workload().keys()),
                "--mix", s.workload().mix().toString(), "--clients", Integer.toString(s.clients()),
                "--duration", Durations.format(s.duration()), "--crashes", Integer.toString(s.crashes()),
                "--window", Durations.format(s.window())));
        if (!s.opTimeout().equals(lossmeter.harness.client.JedisKvClient.DEFAULT_OP_TIMEOUT)) {
            args.addAll(List.of("--op-timeout", Durations.format(s.opTimeout())));
        }
        if (!s.readyTimeout().equals(TrialSettings.DEFAULT_READY_TIMEOUT)) {
            args.addAll(List.of("--ready-timeout", Durations.format(s.readyTimeout())));
        }
        if (s.repair()) args.add("--repair");
        if (s.crashPoint() != lossmeter.faults.CrashPoint.Mode.IO) args.addAll(List.of("--crash-point", s.crashPoint().word()));
        return args;
    }
}
