package lossmeter.harness.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import lossmeter.faults.CrashPoint;
import lossmeter.faults.Fault;
import lossmeter.faults.Faults;
import lossmeter.faults.node.Node;
import lossmeter.faults.target.RunningTarget;
import lossmeter.harness.client.StateReader;
import lossmeter.harness.target.Launch;
import lossmeter.workloads.check.CheckResult;
import lossmeter.workloads.check.Checker;
import lossmeter.workloads.check.Crash;
import lossmeter.workloads.check.DurabilityBound;
import lossmeter.workloads.check.Verdict;
import lossmeter.workloads.history.Functions;
import lossmeter.workloads.history.History;
import lossmeter.workloads.history.HistoryRecorder;
import lossmeter.workloads.history.Op;

/**
 * Runs one trial: a fresh data dir and target, the workload, {@code crashes} crash cycles (fault at
 * a seeded moment in the second half of the cycle, death, restart, state read back), a final
 * graceful restart, and the checker. Writes the trial's results dir. A failure of the harness
 * itself makes the trial INDETERMINATE, never a pass; a target that does not come back after a
 * crash ends the trial with an unavailable crash.
 */
public final class Trial {
    private static final Duration DEATH_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    /** How long a planned cycle waits for its op count before the fault strikes anyway. */
    private static final Duration OPS_TIMEOUT = Duration.ofSeconds(60);
    /** The last cycle of every trial: a graceful restart, so the final state is checked too. */
    private static final Fault FINAL = Faults.restart().create();
    /** The faults' own files (lossyfs's backing store, control socket and log) under the trial's working dir. */
    static final String FAULT_DIR = "fault";

    private final TrialSpec spec;
    private final Node node;
    /** The trial's results dir, on the harness's machine. */
    private final Path dir;
    /** Where the trial's working files live on the node (the results dir itself on the local node). */
    private final Path work;
    private final Path dataDir;
    private final List<Crash> crashes = new ArrayList<>();
    private final List<Long> recoveryNanos = new ArrayList<>();
    private final List<FaultRecord> records = new ArrayList<>();

    public Trial(TrialSpec spec, Node node) {
        this.spec = spec;
        this.node = node;
        this.dir = spec.dir().toAbsolutePath();
        this.work = node.trialDir(dir);
        this.dataDir = work.resolve(TrialFiles.DATA);
    }

    /** How to start the target: the trial's policy and dirs, plus the directives its fault asked for in prepare. */
    private Launch launch(TrialContext ctx) {
        return new Launch(spec.id().policy(), dataDir, work.resolve(TrialFiles.TARGET_LOG), work, ctx.directives());
    }

    public TrialResult run() throws IOException {
        Files.createDirectories(dir);
        node.files().mkdirs(dataDir);
        TrialSettings s = spec.settings();
        SplittableRandom random = new SplittableRandom(spec.seed());
        HistoryJsonl.Writer historyFile = new HistoryJsonl.Writer(dir.resolve(HistoryJsonl.FILE));
        HistoryRecorder recorder = new HistoryRecorder(System.nanoTime(), historyFile);
        InvocationGate gate = new InvocationGate(recorder::now);
        TrialContext ctx = new TrialContext(node, spec.id().policy(), s.opTimeout(), dataDir, work.resolve(FAULT_DIR), dir.resolve(TrialFiles.EVENTS),
                random.split(), recorder, gate, s.crashPoint());
        if (s.plan() != null) s.plan().directives().forEach(ctx::configure);
        ClientWorkers workers = new ClientWorkers(s.workload().generator(spec.seed()), recorder, gate, s.clients(), s.opTimeout());

        String error = null;
        // Until the first start answers PING, a failure is the machine's or the setup's, not the
        // target's behaviour under a fault: every further trial would fail the same way.
        boolean infrastructure = true;
        String version = null;
        boolean prepared = false;
        try {
            ctx.note("trial " + spec.id() + " seed " + spec.seed() + " target " + spec.target().spec() + " on node " + node.name());
            spec.fault().prepare(ctx);
            prepared = true;
            RunningTarget first = start(ctx);
            first.awaitReady(s.readyTimeout());
            infrastructure = false;
            version = first.version();
            ctx.note("ready: " + version + " at " + first.endpoint());
            workers.start();
            TrialPlan plan = s.plan();
            gate.open(first.endpoint(), budget(1));
            spec.fault().cycleStarted(ctx);
            int cycles = s.crashes() + 1;
            for (int k = 1; k <= cycles; k++) {
                Fault fault = k <= s.crashes() ? spec.fault() : FINAL;
                if (plan == null) {
                    long half = s.duration().toNanos() / 2;
                    waitForFaultMoment(ctx, workers, recorder.now() + half + random.nextLong(Math.max(1, half)));
                } else if (k <= s.crashes()) {
                    TrialPlan.Cycle c = plan.cycles().get(k - 1);
                    ctx.plan(c.point());
                    waitForOps(ctx, workers, gate, c.ops());
                    // A fault that acts on what the target does while it strikes gets the workload
                    // back: now, or once it has armed its planned I/O crash point (FaultContext.resumeTraffic).
                    if (spec.fault().needsTraffic() && (c.point() == null || c.point().mode() != CrashPoint.Mode.IO
                            || s.crashPoint() != CrashPoint.Mode.IO)) {
                        gate.lift();
                    }
                } else {
                    ctx.plan(null);
                }
                boolean back = fault.endsTarget() ? cycle(k, fault, ctx) : liveCycle(k, fault, ctx, workers);
                while (records.size() < crashes.size()) records.add(ctx.takeRecord(fault.name(), fault == FINAL));
                historyFile.flush();
                TrialFiles.writeCrashes(dir.resolve(TrialFiles.CRASHES), spec, crashes, recoveryNanos, records);
                if (!back) break;
                if (k < cycles) {
                    gate.open(ctx.currentTarget().endpoint(), budget(k + 1));
                    if (k < s.crashes()) spec.fault().cycleStarted(ctx);
                }
            }
        } catch (Exception e) {
            error = describe(e);
            ctx.note("harness failure: " + error);
        } finally {
            gate.stop();
            error = firstError(error, finish(ctx, workers, historyFile, prepared));
        }
        if (error == null && workers.failure() != null) error = "client worker failed: " + describe(workers.failure());

        History history = recorder.history();
        CheckResult check = null;
        Verdict verdict = Verdict.INDETERMINATE;
        if (error == null) {
            long checkStart = System.nanoTime();
            try {
                check = Checker.check(history, crashes);
                verdict = check.verdict();
            } catch (RuntimeException e) {
                error = "the checker failed: " + describe(e);
            }
            if (check != null) {
                ctx.note("checked " + history.size() + " ops against " + crashes.size() + " crashes in "
                        + (System.nanoTime() - checkStart) / 1_000_000 + "ms: " + verdict);
            }
        }
        boolean passes = error == null && check != null && check.passes();
        try {
            collect(passes);
        } catch (RuntimeException e) {
            if (error == null) {
                error = "cannot copy the trial's files back from node " + node.name() + ": " + describe(e);
                verdict = Verdict.INDETERMINATE;
            }
        }
        TrialResult result = new TrialResult(spec.id(), spec.seed(), verdict, check, crashes, recoveryNanos, history.size(),
                ackedWrites(history), version, error, infrastructure, records, node.name());
        TrialFiles.writeCrashes(dir.resolve(TrialFiles.CRASHES), spec, crashes, recoveryNanos, records);
        TrialFiles.writeVerdict(dir.resolve(TrialFiles.VERDICT), spec, result);
        return result;
    }

    /** One crash cycle; false when the target did not come back (the trial ends). */
    private boolean cycle(int k, Fault fault, TrialContext ctx) {
        RunningTarget dying = ctx.currentTarget();
        fault.inject(ctx);
        long crashTime = ctx.markCrash();
        ctx.note("crash " + k + ": " + fault.name() + " at " + crashTime / 1_000_000 + "ms");
        if (!dying.awaitDeath(DEATH_TIMEOUT)) {
            throw new IllegalStateException("fault '" + fault.name() + "' did not end " + dying + " within " + DEATH_TIMEOUT.toSeconds() + "s");
        }
        ctx.note("target dead");
        fault.afterDeath(ctx);
        node.files().copy(dataDir, work.resolve(TrialFiles.crashCopy(k)));

        Restart.Outcome back = new Restart(spec.target(), node, ctx, spec.settings().readyTimeout(), spec.settings().repair())
                .run(launch(ctx));
        if (!back.back()) {
            crashes.add(Crash.unavailable(k, fault.name(), fault.faultClass(), crashTime, back.refusal()));
            recoveryNanos.add(-1L);
            return false;
        }
        RunningTarget next = back.target();
        Map<String, Object> state;
        try {
            state = StateReader.read(next.endpoint(), READ_TIMEOUT);
        } catch (RuntimeException e) {
            if (next.alive()) throw e;
            String why = "exited after answering PING: " + RefusalReason.from(next.logTail(20));
            ctx.note("did not stay up: " + why);
            crashes.add(Crash.unavailable(k, fault.name(), fault.faultClass(), crashTime, why));
            recoveryNanos.add(-1L);
            return false;
        }
        ctx.note("recovered in " + back.recoveryNanos() / 1_000_000 + "ms; " + state.size() + " keys read back");
        DurabilityBound bound = fault.bound(spec.id().policy(), spec.settings().window());
        // A target that came back only after a repair is unavailable by docs/design.md; its state is still
        // kept, so what the repair served can be judged too (silent damage is never acceptable).
        crashes.add(back.repaired()
                ? new Crash(k, fault.name(), crashTime, state, bound, "came back only after repair; it refused: " + back.refusal(),
                        fault.faultClass())
                : Crash.recovered(k, fault.name(), fault.faultClass(), crashTime, state, bound));
        recoveryNanos.add(back.recoveryNanos());
        return true;
    }

    /**
     * A cycle without death (a liveness fault): the fault strikes and returns with the target
     * running; once no op is in flight, the state is read back from the same process and checked as
     * if a crash had happened at the end of the fault — nothing acknowledged may be missing.
     */
    private boolean liveCycle(int k, Fault fault, TrialContext ctx, ClientWorkers workers) throws InterruptedException {
        RunningTarget same = ctx.currentTarget();
        fault.inject(ctx);
        long at = ctx.markCrash();
        ctx.note("cycle " + k + ": " + fault.name() + " ended at " + at / 1_000_000 + "ms; the target keeps running");
        // Ops invoked before the mark may still be running; their effects must land before the read.
        if (!workers.awaitQuiet(spec.settings().opTimeout().plusSeconds(10))) {
            throw new IllegalStateException("client ops still in flight " + spec.settings().opTimeout().plusSeconds(10).toSeconds()
                    + "s after fault '" + fault.name() + "'");
        }
        if (!same.alive()) {
            String why = "died during " + fault.name() + ": " + RefusalReason.from(same.logTail(20));
            ctx.note(why);
            crashes.add(Crash.unavailable(k, fault.name(), fault.faultClass(), at, why));
            recoveryNanos.add(-1L);
            return false;
        }
        Map<String, Object> state = StateReader.read(same.endpoint(), READ_TIMEOUT);
        ctx.note("read back live: " + state.size() + " keys");
        crashes.add(Crash.recovered(k, fault.name(), fault.faultClass(), at, state, fault.bound(spec.id().policy(), spec.settings().window())));
        recoveryNanos.add(0L);
        return true;
    }

    private RunningTarget start(TrialContext ctx) {
        RunningTarget t = spec.target().start(node, launch(ctx));
        ctx.target(t);
        ctx.note("started " + t);
        return t;
    }

    /**
     * How many ops cycle k may invoke before its fault: no limit in a drawn trial; a planned
     * cycle's op count (a fault that needs the workload while it strikes lifts the limit once they
     * were answered); none before the final restart of a planned trial (it restarts at once).
     */
    private long budget(int k) {
        TrialPlan plan = spec.settings().plan();
        if (plan == null) return Long.MAX_VALUE;
        if (k > plan.cycles().size()) return 0;
        return plan.cycles().get(k - 1).ops();
    }

    /**
     * Lets the workload run until {@code ops} ops were invoked in this cycle (a planned cycle, whose
     * budget holds the workers there), as {@link #waitForFaultMoment} watches it, then until every
     * one of them was answered, so the fault strikes (or, for a fault that needs traffic, starts
     * counting I/O operations towards its crash point) after the last acknowledgement, never racing
     * it: how fast a client gets its reply (a cold JVM's first op takes tens of ms, a warm one's
     * well under one) does not decide whether an op counts as acknowledged before the crash, and a
     * replay fails as its original did.
     */
    private void waitForOps(TrialContext ctx, ClientWorkers workers, InvocationGate gate, long ops) throws InterruptedException {
        long deadline = System.nanoTime() + OPS_TIMEOUT.toNanos();
        while (gate.admitted() < ops) {
            if (workers.failure() != null) throw new IllegalStateException("client worker failed", workers.failure());
            if (!ctx.currentTarget().alive()) {
                ctx.note("the target died on its own before the fault, after " + gate.admitted() + " of " + ops + " ops");
                return;
            }
            if (System.nanoTime() > deadline) {
                ctx.note("only " + gate.admitted() + " of the cycle's " + ops + " ops were invoked in " + OPS_TIMEOUT.toSeconds()
                        + "s; the fault strikes now");
                return;
            }
            Thread.sleep(1);
        }
        Duration wait = spec.settings().opTimeout().plusSeconds(10);
        if (!workers.awaitQuiet(wait)) {
            throw new IllegalStateException("client ops still in flight " + wait.toSeconds() + "s after the cycle's " + ops + " ops were invoked");
        }
        ctx.note(ops + " ops invoked and answered in this cycle");
    }

    /** Lets the workload run until the fault moment, watching for a worker failure or a target that died on its own. */
    private static void waitForFaultMoment(TrialContext ctx, ClientWorkers workers, long at) throws InterruptedException {
        while (ctx.now() < at) {
            if (workers.failure() != null) throw new IllegalStateException("client worker failed", workers.failure());
            if (!ctx.currentTarget().alive()) {
                ctx.note("the target died on its own before the fault");
                return;
            }
            Thread.sleep(Math.max(1, Math.min(50, (at - ctx.now()) / 1_000_000)));
        }
    }

    /** Stops workers, target and fault; returns what went wrong, or null. Runs on every path. */
    private String finish(TrialContext ctx, ClientWorkers workers, HistoryJsonl.Writer historyFile, boolean prepared) {
        String error = null;
        try {
            if (!workers.join(spec.settings().opTimeout().plusSeconds(10))) error = "client workers did not stop";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted while stopping client workers";
        }
        RunningTarget last = ctx.currentTarget();
        if (last != null) {
            try {
                last.close();
            } catch (RuntimeException e) {
                error = firstError(error, "cannot stop the target: " + describe(e));
            }
        }
        if (prepared) {
            try {
                spec.fault().teardown(ctx);
            } catch (RuntimeException e) {
                error = firstError(error, "fault teardown failed: " + describe(e));
            }
        }
        try {
            historyFile.close();
        } catch (IOException | UncheckedIOException e) {
            error = firstError(error, "cannot write " + HistoryJsonl.FILE + ": " + describe(e));
        }
        return error;
    }

    /**
     * Ends the trial's files on the node: a passing trial's data copies are dropped; on a remote node
     * the target log and the faults' logs (and a failing trial's data copies) are copied back to the
     * results dir, then the node's working dir is deleted.
     */
    private void collect(boolean passes) {
        var files = node.files();
        if (passes) {
            for (int k = 1; k <= crashes.size(); k++) files.delete(work.resolve(TrialFiles.crashCopy(k)));
            files.delete(dataDir);
        }
        if (work.equals(dir)) return;
        try {
            List<Path> back = new ArrayList<>(List.of(work.resolve(TrialFiles.TARGET_LOG)));
            Path faultDir = work.resolve(FAULT_DIR);
            if (files.exists(faultDir)) {
                for (Path f : files.list(faultDir)) {
                    if (f.getFileName().toString().endsWith(".log")) back.add(f);
                }
            }
            if (!passes) {
                back.add(dataDir);
                for (int k = 1; k <= crashes.size(); k++) back.add(work.resolve(TrialFiles.crashCopy(k)));
            }
            for (Path p : back) {
                if (files.exists(p)) files.fetch(p, dir.resolve(work.relativize(p)));
            }
        } finally {
            files.delete(work);
        }
    }

    static long ackedWrites(History h) {
        long n = 0;
        for (Op op : h.ops()) {
            if (op.isOk() && Functions.isWrite(op.f())) n++;
        }
        return n;
    }

    private static String firstError(String a, String b) {
        return a != null ? a : b;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        String s = e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
        return e.getCause() != null && e.getCause() != e && m != null && !m.contains(String.valueOf(e.getCause().getMessage()))
                ? s + " (caused by " + describe(e.getCause()) + ")" : s;
    }
}
