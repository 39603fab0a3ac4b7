package lossmeter.harness.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import lossmeter.faults.CrashPoint;
import lossmeter.faults.FaultContext;
import lossmeter.faults.FaultEffect;
import lossmeter.faults.node.Node;
import lossmeter.faults.target.Policy;
import lossmeter.faults.target.RunningTarget;
import lossmeter.workloads.history.HistoryRecorder;

/** The runner's side of {@link FaultContext}: one per trial, the running target swapped at each restart. */
final class TrialContext implements FaultContext {
    private final Node node;
    private final Policy policy;
    private final Path dataDir;
    private final Path faultDir;
    private final Path events;
    private final SplittableRandom random;
    private final HistoryRecorder recorder;
    private final InvocationGate gate;
    private final Duration opTimeout;
    private final Map<String, String> directives = new LinkedHashMap<>();
    private final CrashPoint.Mode crashPointMode;
    private volatile RunningTarget target;
    private CrashPoint point;
    private volatile CrashPoint planned;
    private FaultEffect effect;

    TrialContext(Node node, Policy policy, Duration opTimeout, Path dataDir, Path faultDir, Path events, SplittableRandom random,
                 HistoryRecorder recorder, InvocationGate gate, CrashPoint.Mode crashPointMode) {
        this.crashPointMode = crashPointMode;
        this.node = node;
        this.policy = policy;
        this.opTimeout = opTimeout;
        this.dataDir = dataDir;
        this.faultDir = faultDir;
        this.events = events;
        this.random = random;
        this.recorder = recorder;
        this.gate = gate;
    }

    void target(RunningTarget t) {
        this.target = t;
    }

    RunningTarget currentTarget() {
        return target;
    }

    @Override
    public Node node() {
        return node;
    }

    @Override
    public RunningTarget target() {
        RunningTarget t = target;
        if (t == null) throw new IllegalStateException("the target has not started yet");
        return t;
    }

    @Override
    public Policy policy() {
        return policy;
    }

    @Override
    public Duration opTimeout() {
        return opTimeout;
    }

    @Override
    public synchronized void configure(String directive, String value) {
        if (target != null) throw new IllegalStateException("configure() is for Fault.prepare, before the target first starts");
        directives.put(directive, value);
    }

    /** The directives faults asked for, for every start of the target. */
    synchronized Map<String, String> directives() {
        return new LinkedHashMap<>(directives);
    }

    @Override
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public Path faultDir() {
        return faultDir;
    }

    @Override
    public SplittableRandom random() {
        return random;
    }

    @Override
    public long now() {
        return recorder.now();
    }

    @Override
    public long markCrash() {
        return gate.close();
    }

    @Override
    public CrashPoint.Mode crashPointMode() {
        return crashPointMode;
    }

    /** The crash point the next cycle must strike at (a planned trial), or null to let the fault draw one. */
    void plan(CrashPoint p) {
        planned = p;
    }

    @Override
    public CrashPoint plannedCrashPoint() {
        return planned;
    }

    @Override
    public void resumeTraffic() {
        gate.lift();
    }

    @Override
    public synchronized void recordCrashPoint(CrashPoint p) {
        point = p;
    }

    @Override
    public synchronized void recordEffect(FaultEffect e) {
        effect = e;
    }

    /** This cycle's crash point and effect, as the fault recorded them; the next cycle starts empty. */
    synchronized FaultRecord takeRecord(String fault, boolean finalRestart) {
        FaultRecord r = new FaultRecord(point, effect == null ? FaultEffect.unmeasured(fault) : effect, finalRestart);
        point = null;
        effect = null;
        return r;
    }

    @Override
    public synchronized void note(String line) {
        String stamped = String.format("%10.3fs  %s%n", recorder.now() / 1e9, line);
        try {
            Files.writeString(events, stamped, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + events, e);
        }
    }
}
