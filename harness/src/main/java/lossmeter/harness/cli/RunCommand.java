package lossmeter.harness.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

import lossmeter.faults.CrashPoint;
import lossmeter.faults.FaultSpec;
import lossmeter.faults.Faults;
import lossmeter.faults.target.Policy;
import lossmeter.harness.run.CampaignSpec;
import lossmeter.harness.run.Fleet;
import lossmeter.harness.run.Shard;
import lossmeter.harness.run.LossGate;
import lossmeter.harness.run.ReportStep;
import lossmeter.harness.run.TrialId;
import lossmeter.harness.run.TrialSettings;
import lossmeter.harness.target.Target;
import lossmeter.harness.target.TargetConfigException;
import lossmeter.harness.target.Targets;
import lossmeter.workloads.generator.OpMix;
import lossmeter.workloads.generator.Workload;
import lossmeter.workloads.generator.Workloads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lossmeter run}: a campaign of policies × faults × trials against one target. */
@Command(name = "run", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Run a campaign: for each policy and fault, trials that crash the target, restart it and check "
                + "what came back against what the clients saw acknowledged.",
                "Exit codes: 0 pass, 1 violation or gate exceeded, 2 bad usage, 3 harness/infrastructure failure."})
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--target", paramLabel = "SPEC", defaultValue = "bundled",
            description = "bundled | redis[:PATH] | cmd:TEMPLATE with {port}, {dir}, {fsync} (default: ${DEFAULT-VALUE})")
    String target;

    @Option(names = "--policies", paramLabel = "LIST", defaultValue = "always,everysec,no",
            description = "fsync policies, comma-separated (default: ${DEFAULT-VALUE})")
    String policies;

    @Option(names = "--faults", paramLabel = "LIST", defaultValue = "kill",
            description = "faults, any combination, comma-separated; 'lossmeter faults' lists them (default: ${DEFAULT-VALUE})")
    String faults;

    @Option(names = "--workload", defaultValue = "mixed",
            description = "counter, list, flush, txn, mixed (default: ${DEFAULT-VALUE})")
    String workload;

    @Option(names = "--trials", paramLabel = "N", defaultValue = "5", description = "trials per policy × fault (default: ${DEFAULT-VALUE})")
    int trials;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "3s", converter = DurationConverter.class,
            description = "length of each crash cycle, e.g. 500ms, 3s, 2m (default: 3s)")
    Duration duration;

    @Option(names = "--crashes", paramLabel = "N", defaultValue = "2", description = "crash cycles per trial (default: ${DEFAULT-VALUE})")
    int crashes;

    @Option(names = "--clients", paramLabel = "N", defaultValue = "8", description = "client processes (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--keys", paramLabel = "N", defaultValue = "8", description = "counter keys and list keys each (default: ${DEFAULT-VALUE})")
    int keys;

    @Option(names = "--mix", paramLabel = "MIX", description = "op mix, e.g. incr=350,push=300,txn=150,read=199,flush=1 (default: the workload's)")
    String mix;

    @Option(names = "--seed", description = "campaign seed (default: random, printed)")
    Long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "results dir (default: lossmeter-results/<yyyyMMdd-HHmmss>)")
    Path out;

    @Option(names = "--window", paramLabel = "DURATION", defaultValue = "2000ms", converter = DurationConverter.class,
            description = "W, the loss window everysec may show after losing unsynced data (default: 2000ms)")
    Duration window;

    @Option(names = "--gate", paramLabel = "SPEC",
            description = "max data-loss window per policy, e.g. always=0ms,everysec=2000ms (default: always=0ms,everysec=<window>)")
    String gate;

    @Option(names = "--only", paramLabel = "TRIAL", description = "run one trial, e.g. everysec-kill-3 (with --seed, replays it)")
    String only;

    @Option(names = "--op-timeout", paramLabel = "DURATION", defaultValue = "1s", converter = DurationConverter.class,
            description = "per-op timeout; a timed-out op is recorded as info (default: 1s)")
    Duration opTimeout;

    @Option(names = "--ready-timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "how long a (re)started target may take to answer PING (default: 30s)")
    Duration readyTimeout;

    @Option(names = "--baseline", paramLabel = "FILE",
            description = "a baseline results.json (or results dir): exit 1 when a cell regressed against it (see 'compare')")
    Path baseline;

    @Option(names = "--tolerance-percent", paramLabel = "P", defaultValue = "20",
            description = "with --baseline: how much a max loss window may grow, in percent (default: ${DEFAULT-VALUE})")
    double tolerancePercent;

    @Option(names = "--tolerance-ms", paramLabel = "MS", defaultValue = "100",
            description = "with --baseline: and in absolute ms on top (default: ${DEFAULT-VALUE})")
    long toleranceMs;

    @Option(names = "--repair", description = "when the target refuses to start after a fault, run its AOF repair tool "
            + "(check-aof --fix / redis-check-aof --fix) and start it again; the crash records that it came back only after repair")
    boolean repair;

    @Option(names = "--crash-point", paramLabel = "MODE", defaultValue = "io",
            description = "io: lossyfs faults crash at a seeded I/O operation of the target (a write, sync or rename held "
                    + "while the target is killed); time: at a seeded moment of the cycle (default: ${DEFAULT-VALUE})")
    String crashPoint;

    @Option(names = "--require-effect", paramLabel = "P", defaultValue = "50",
            description = "exit 1 when fewer than P % of a cell's crashes took effect (NO EFFECT) (default: ${DEFAULT-VALUE})")
    double requireEffect;
    @picocli.CommandLine.Mixin
    NodeOptions nodeOptions = new NodeOptions();
    @Option(names = "--parallel", paramLabel = "K", defaultValue = "1",
            description = "trials at once on each node, each with its own ports, dirs and mounts (default: ${DEFAULT-VALUE})")
    int parallel;
    @Option(names = "--shard", paramLabel = "I/N", description = "run only the I-th of N disjoint slices of the trials (CI fan-out; see 'lossmeter merge')")
    String shard;
    @Option(names = "--allow-long", description = "run a campaign planned to take more than 24 h (refused otherwise)")
    boolean allowLong;

    @Override
    public Integer call() {
        CampaignSpec campaign = campaign();
        ReportStep.Baseline gate = baseline();
        String command = "lossmeter " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return CampaignLauncher.launch(campaign, command, gate, out, err);
    }

    /** Every flag checked and combined before anything starts; a bad one is a usage error (exit 2). */
    CampaignSpec campaign() {
        try {
            Target t = Targets.parse(target);
            List<Policy> ps = list(policies).stream().map(Policy::parse).toList();
            List<FaultSpec> fs = new ArrayList<>(list(faults).stream().map(Faults::byName).toList());
            Workload w = Workloads.byName(workload, keys);
            if (mix != null) w = w.withMix(OpMix.parse(mix));
            TrialSettings settings = new TrialSettings(w, duration, crashes, clients, window, opTimeout, readyTimeout, repair,
                    CrashPoint.Mode.parse(crashPoint));
            LossGate g = gate == null ? LossGate.defaults(window) : LossGate.parse(gate);
            TrialId o = null;
            if (only != null) {
                o = TrialId.parse(only);
                FaultSpec f = Faults.byName(o.fault());
                // --only may name a fault outside --faults: the campaign then holds it too, and runs only that trial.
                if (fs.stream().noneMatch(x -> x.name().equals(f.name()))) fs.add(f);
            }
            Path dir = out != null ? out : CampaignLauncher.defaultOut();
            CampaignLauncher.checkOut(dir);
            long s = seed != null ? seed : ThreadLocalRandom.current().nextLong();
            Fleet fleet = new Fleet(nodeOptions.specs(), parallel);
            CampaignSpec c = new CampaignSpec(t, ps, fs, trials, settings, s, dir, g, o, requireEffect, fleet,
                    shard == null ? Shard.ALL : Shard.parse(shard));
            CampaignBounds.check(c, keys, allowLong);
            return c;
        } catch (IllegalArgumentException | TargetConfigException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /** The baseline gate, checked before anything starts: a missing baseline is a usage error, not a late surprise. */
    ReportStep.Baseline baseline() {
        try {
            ReportStep.checkPercent(tolerancePercent);
            ReportStep.checkMs(toleranceMs);
            CampaignBounds.tolerance(tolerancePercent, toleranceMs);
            if (baseline != null && !java.nio.file.Files.exists(baseline)) {
                throw new IllegalArgumentException("--baseline " + baseline + " does not exist");
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        return baseline == null ? null : new ReportStep.Baseline(baseline, tolerancePercent, toleranceMs);
    }

    /** A comma list without blanks or repeats, in the given order. */
    static List<String> list(String s) {
        List<String> out = new ArrayList<>(new LinkedHashSet<>(List.of(s.split(",")).stream().map(String::trim)
                .filter(x -> !x.isEmpty()).toList()));
        if (out.isEmpty()) throw new IllegalArgumentException("empty list '" + s + "'");
        return out;
    }
}
