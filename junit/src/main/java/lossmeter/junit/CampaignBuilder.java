package lossmeter.junit;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

import lossmeter.faults.CrashPoint;
import lossmeter.faults.FaultSpec;
import lossmeter.faults.Faults;
import lossmeter.faults.target.Policy;
import lossmeter.harness.client.JedisKvClient;
import lossmeter.harness.node.NodeList;
import lossmeter.harness.node.NodeSpec;
import lossmeter.harness.node.ssh.SshOptions;
import lossmeter.harness.run.CampaignResult;
import lossmeter.harness.run.CampaignRun;
import lossmeter.harness.run.CampaignSpec;
import lossmeter.harness.run.Fleet;
import lossmeter.harness.run.LossGate;
import lossmeter.harness.run.ReportStep;
import lossmeter.harness.run.Shard;
import lossmeter.harness.run.TrialSettings;
import lossmeter.harness.target.Target;
import lossmeter.harness.target.Targets;
import lossmeter.workloads.generator.Workload;
import lossmeter.workloads.generator.Workloads;

/**
 * A campaign being configured: target, policies, faults, workload and the trial settings, with the
 * command line's defaults ({@code bundled}, every policy, {@code kill}, {@code mixed}, 5 trials of
 * 2 crashes of 3 s). {@link #run()} runs it through the same path as {@code ./lossmeter run} and
 * writes the usual results dir, by default {@code target/lossmeter/<name or timestamp>}.
 */
public final class CampaignBuilder {
    /** Where results go when no {@link #out} is given: under Maven's build directory. */
    static final Path DEFAULT_ROOT = Path.of("target", "lossmeter");

    private Target target = Targets.bundled();
    private List<Policy> policies = List.of(Policy.values());
    private List<FaultSpec> faults = List.of(Faults.kill());
    private Workload workload = Workloads.mixed();
    private int trials = 5;
    private Duration duration = Duration.ofSeconds(3);
    private int crashes = 2;
    private int clients = 8;
    private Duration window = Duration.ofSeconds(2);
    private LossGate gate;
    private Duration opTimeout = JedisKvClient.DEFAULT_OP_TIMEOUT;
    private Duration readyTimeout = TrialSettings.DEFAULT_READY_TIMEOUT;
    private boolean repair;
    private CrashPoint.Mode crashPoint = CrashPoint.Mode.IO;
    private double requireEffect = CampaignSpec.DEFAULT_REQUIRE_EFFECT;
    private Long seed;
    private Path out;
    private String name;
    private ReportStep.Baseline baseline;
    private boolean quiet;
    private List<NodeSpec> nodes = List.of(NodeSpec.local());
    private int parallel = 1;

    CampaignBuilder() {
    }

    public CampaignBuilder target(Target target) {
        this.target = Objects.requireNonNull(target, "target");
        return this;
    }

    public CampaignBuilder policies(Policy... policies) {
        this.policies = List.of(policies);
        return this;
    }

    public CampaignBuilder faults(FaultSpec... faults) {
        this.faults = List.of(faults);
        return this;
    }

    /** Faults by their catalogue names ({@code ./lossmeter faults}), e.g. {@code "kill", "power-loss"}. */
    public CampaignBuilder faults(String... names) {
        this.faults = Arrays.stream(names).map(Faults::byName).toList();
        return this;
    }

    public CampaignBuilder workload(Workload workload) {
        this.workload = Objects.requireNonNull(workload, "workload");
        return this;
    }

    /** Trials per policy × fault cell. */
    public CampaignBuilder trials(int trials) {
        this.trials = trials;
        return this;
    }

    /** The length of each crash cycle. */
    public CampaignBuilder duration(Duration duration) {
        this.duration = Objects.requireNonNull(duration, "duration");
        return this;
    }

    /** Crash cycles per trial (each trial ends with a graceful restart on top). */
    public CampaignBuilder crashes(int crashes) {
        this.crashes = crashes;
        return this;
    }

    public CampaignBuilder clients(int clients) {
        this.clients = clients;
        return this;
    }

    /** W: how far behind a crash {@code everysec} may lose acknowledged writes (also the default gate's everysec limit). */
    public CampaignBuilder window(Duration window) {
        this.window = Objects.requireNonNull(window, "window");
        return this;
    }

    /** The loss gate, e.g. {@code LossGate.parse("always=0ms,everysec=1s")}; default {@code always=0ms,everysec=W}. */
    public CampaignBuilder gate(LossGate gate) {
        this.gate = Objects.requireNonNull(gate, "gate");
        return this;
    }

    public CampaignBuilder opTimeout(Duration opTimeout) {
        this.opTimeout = Objects.requireNonNull(opTimeout, "opTimeout");
        return this;
    }

    public CampaignBuilder readyTimeout(Duration readyTimeout) {
        this.readyTimeout = Objects.requireNonNull(readyTimeout, "readyTimeout");
        return this;
    }

    /** Run the target's AOF repair tool when it refuses to start after a fault ({@code --repair}). */
    public CampaignBuilder repair(boolean repair) {
        this.repair = repair;
        return this;
    }

    public CampaignBuilder crashPoint(CrashPoint.Mode crashPoint) {
        this.crashPoint = Objects.requireNonNull(crashPoint, "crashPoint");
        return this;
    }

    /** The share of a cell's crashes, in percent, in which its fault must take effect ({@code --require-effect}). */
    public CampaignBuilder requireEffect(double percent) {
        this.requireEffect = percent;
        return this;
    }

    /**
     * Where the trials run: {@code local}, {@code ssh://user@host[:port]} and {@code container[:N]}
     * nodes, as {@code --nodes} takes them, logging in to SSH nodes with {@code ssh} (key, known
     * hosts). Default: this machine.
     */
    public CampaignBuilder nodes(String nodes, SshOptions ssh) {
        this.nodes = NodeList.parse(nodes, ssh);
        return this;
    }

    /**
     * Each trial in a fresh container, {@code count} at once ({@code --nodes container:N}), from
     * lossmeter's own image, or from {@code image} when it is not null ({@code --image}: it must be
     * on the Docker daemon, nothing is pulled).
     */
    public CampaignBuilder containers(int count, String image) {
        this.nodes = new lossmeter.harness.node.container.Containers(count, image).specs();
        return this;
    }

    /** Trials at once on each node, each with its own ports, dirs and mounts ({@code --parallel}); default 1. */
    public CampaignBuilder parallel(int parallel) {
        if (parallel < 1 || parallel > Fleet.MAX_PARALLEL) throw new IllegalArgumentException("parallel must be from 1 to " + Fleet.MAX_PARALLEL);
        this.parallel = parallel;
        return this;
    }

    /** The campaign seed; without one a random seed is drawn (and printed, and in results.json). */
    public CampaignBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** The results dir; it must not hold a finished campaign. Default: {@code target/lossmeter/<name or timestamp>}. */
    public CampaignBuilder out(Path out) {
        this.out = Objects.requireNonNull(out, "out");
        return this;
    }

    /**
     * Names the results dir {@code target/lossmeter/<name>}; a campaign of the same name from an
     * earlier run is replaced (it is this build's own output).
     */
    public CampaignBuilder name(String name) {
        if (name == null || name.isBlank() || name.contains("/") || name.startsWith(".")) {
            throw new IllegalArgumentException("a campaign name is one path element, not '" + name + "'");
        }
        this.name = name;
        return this;
    }

    /** Compare with a baseline results.json (or results dir); a regression fails {@link CampaignAssert#keptEveryPromise()}. */
    public CampaignBuilder baseline(Path baseline, double tolerancePercent, long toleranceMs) {
        this.baseline = new ReportStep.Baseline(baseline, tolerancePercent, toleranceMs);
        return this;
    }

    public CampaignBuilder baseline(Path baseline) {
        this.baseline = ReportStep.Baseline.of(baseline);
        return this;
    }

    /** Print nothing while running (the summary is still in the results dir). */
    public CampaignBuilder quiet() {
        this.quiet = true;
        return this;
    }

    /** The campaign as the harness runs it; every setting is checked here, a bad one is an IllegalArgumentException. */
    public CampaignSpec spec() {
        TrialSettings settings = new TrialSettings(workload, duration, crashes, clients, window, opTimeout, readyTimeout, repair,
                crashPoint);
        long s = seed != null ? seed : ThreadLocalRandom.current().nextLong();
        return new CampaignSpec(target, policies, faults, trials, settings, s, resultsDir(), gate != null ? gate : LossGate.defaults(window),
                null, requireEffect, new Fleet(nodes, parallel), Shard.ALL);
    }

    private Path resultsDir() {
        if (out != null) return out;
        if (name != null) return DEFAULT_ROOT.resolve(name);
        return DEFAULT_ROOT.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")));
    }

    /**
     * Runs the campaign and returns what it found, whatever the verdict: judge it with
     * {@link Lossmeter#assertThat}. A campaign that cannot start (bad target, results dir in use)
     * is a {@link LossmeterException}.
     */
    public CampaignResult run() {
        CampaignSpec spec = spec();
        if (name != null && out == null) ResultsDirs.replace(spec.out());
        return execute(spec, baseline, quiet, command());
    }

    static CampaignResult execute(CampaignSpec spec, ReportStep.Baseline baseline, boolean quiet, String command) {
        StringWriter captured = new StringWriter();
        PrintWriter out = quiet ? new PrintWriter(captured) : new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = quiet ? new PrintWriter(captured) : new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        CampaignRun.Outcome o = CampaignRun.execute(spec, command, baseline, out, err);
        out.flush();
        err.flush();
        if (o.result() == null) {
            throw new LossmeterException("lossmeter: the campaign did not run (exit " + o.code().code() + "): " + o.problem());
        }
        return o.result();
    }

    /** What results.json records as the command: the Java API and the caller, for people reading the report. */
    private static String command() {
        StackTraceElement caller = Arrays.stream(Thread.currentThread().getStackTrace())
                .filter(e -> !e.getClassName().startsWith("lossmeter.junit.") && !e.getClassName().startsWith("java."))
                .findFirst().orElse(null);
        List<String> parts = new ArrayList<>(List.of("Lossmeter.campaign().run()"));
        if (caller != null) parts.add("from " + caller.getClassName() + "." + caller.getMethodName());
        return String.join(" ", parts);
    }
}
