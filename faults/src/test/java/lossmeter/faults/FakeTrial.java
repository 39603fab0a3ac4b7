package lossmeter.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import lossmeter.faults.node.FakeNode;
import lossmeter.faults.node.Node;
import lossmeter.faults.target.Endpoint;
import lossmeter.faults.target.Pausable;
import lossmeter.faults.target.Policy;
import lossmeter.faults.target.RunningTarget;

/** A trial for fault unit tests: a fake node and target that record what a fault did to them. */
final class FakeTrial implements FaultContext {
    /** A target that records kill/shutdown/pause/resume instead of doing them. */
    static final class FakeTarget implements RunningTarget, Pausable {
        final List<String> calls = new ArrayList<>();

        @Override
        public Endpoint endpoint() {
            return new Endpoint("127.0.0.1", 1);
        }

        @Override
        public Path log() {
            return Path.of("/dev/null");
        }

        @Override
        public void awaitReady(Duration timeout) {
        }

        @Override
        public boolean alive() {
            return !calls.contains("kill");
        }

        @Override
        public synchronized void kill() {
            calls.add("kill");
        }

        @Override
        public synchronized void shutdown() {
            calls.add("shutdown");
        }

        @Override
        public boolean awaitDeath(Duration timeout) {
            return true;
        }

        @Override
        public String version() {
            return "fake";
        }

        @Override
        public String logTail(int lines) {
            return "";
        }

        @Override
        public synchronized void pause() {
            calls.add("pause");
        }

        @Override
        public synchronized void resume() {
            calls.add("resume");
        }

        @Override
        public void close() {
        }
    }

    final FakeNode node = new FakeNode();
    final FakeTarget target = new FakeTarget();
    final List<String> notes = new ArrayList<>();
    final Map<String, String> directives = new LinkedHashMap<>();
    final Path dataDir;
    private final SplittableRandom random;
    private final Duration opTimeout;
    private long clock;
    long crashTime = -1;

    FakeTrial(Path dataDir, long seed, Duration opTimeout) {
        this.dataDir = dataDir;
        this.random = new SplittableRandom(seed);
        this.opTimeout = opTimeout;
    }

    @Override
    public Node node() {
        return node;
    }

    @Override
    public RunningTarget target() {
        return target;
    }

    @Override
    public Policy policy() {
        return Policy.ALWAYS;
    }

    @Override
    public Duration opTimeout() {
        return opTimeout;
    }

    @Override
    public void configure(String directive, String value) {
        directives.put(directive, value);
    }

    @Override
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public Path faultDir() {
        return dataDir.resolveSibling("fault");
    }

    @Override
    public SplittableRandom random() {
        return random;
    }

    @Override
    public long now() {
        return clock += 1_000_000;
    }

    @Override
    public long markCrash() {
        if (crashTime < 0) crashTime = now();
        target.calls.add("markCrash");
        return crashTime;
    }

    @Override
    public void note(String line) {
        notes.add(line);
    }

    final List<CrashPoint> points = new ArrayList<>();
    final List<FaultEffect> effects = new ArrayList<>();
    CrashPoint.Mode crashPointMode = CrashPoint.Mode.IO;

    @Override
    public CrashPoint.Mode crashPointMode() {
        return crashPointMode;
    }

    @Override
    public void recordCrashPoint(CrashPoint point) {
        points.add(point);
    }

    @Override
    public void recordEffect(FaultEffect effect) {
        effects.add(effect);
    }
}
