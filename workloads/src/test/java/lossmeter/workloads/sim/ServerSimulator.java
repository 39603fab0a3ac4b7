package lossmeter.workloads.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

import lossmeter.workloads.check.Crash;
import lossmeter.workloads.check.DurabilityBound;
import lossmeter.workloads.generator.Invocation;
import lossmeter.workloads.generator.Keys;
import lossmeter.workloads.generator.Workload;
import lossmeter.workloads.history.Functions;
import lossmeter.workloads.history.History;
import lossmeter.workloads.history.Op;
import lossmeter.workloads.history.OpType;

/**
 * A seeded simulation of a CORRECT Redis-style server and its clients, for testing the checker.
 *
 * <p>The server is a single-threaded model that applies every op atomically at a linearization
 * point chosen inside the op's [invoke, complete] interval, so the history it produces is
 * linearizable by construction. N client processes draw invocations from the real
 * {@link Workload} generator, think for a random time, and wait a random latency (with a heavy
 * tail, so ops overlap a lot). FLUSHALL is only invoked when no other op is in flight and nothing
 * else starts until it completes. Some ops time out ({@code info}: applied or not, decided at
 * random), some fail (not applied). A process whose op ended {@code info} is replaced by a new
 * process id.
 *
 * <p>Crashes strike at random points. Every op in flight at the crash ends {@code info} (applied
 * iff its linearization point came before the crash). The state read back is the state after a
 * prefix of the applied log (the log spans earlier cycles too, so a later crash may drop data an
 * earlier crash kept): {@code kill} keeps everything; {@code power-loss-always} keeps at least
 * every op acknowledged before the crash; {@code power-loss-everysec} every op acknowledged before
 * crash − W; {@code power-loss-no} any prefix.
 */
public final class ServerSimulator {

    /** What the crash does to the applied log, and the bound the checker is given for it. */
    public enum Fault {
        KILL("kill"), POWER_LOSS_ALWAYS("power-loss-always"), POWER_LOSS_EVERYSEC("power-loss-everysec"), POWER_LOSS_NO("power-loss-no");

        public final String label;

        Fault(String label) {
            this.label = label;
        }
    }

    /**
     * Knobs of one simulated trial.
     *
     * @param ops              invocations to issue in total
     * @param processes        concurrent client processes
     * @param workload         the generator of invocations
     * @param crashes          crash cycles; the last crash ends the trial
     * @param timeoutRate      probability that an op (other than FLUSHALL) times out ({@code info})
     * @param flushTimeoutRate probability that a FLUSHALL times out; 0 in the standard runs (see the
     *                         BUG note in CheckerRandomizedTest)
     * @param failRate         probability that an op is refused by the server ({@code fail}, not applied)
     * @param faults           faults to pick from at random for each crash
     * @param everysecWindowNanos W for {@link Fault#POWER_LOSS_EVERYSEC}
     * @param meanLatencyNanos typical service latency; think time and tail scale with it
     * @param cutBeforeEarlierFlush whether a crash may keep a prefix that ends before a FLUSHALL an
     *                         earlier crash kept (legal when the bound allows it; false in the standard
     *                         runs, see the BUG note in CheckerRandomizedTest)
     */
    public record Options(int ops, int processes, Workload workload, int crashes, double timeoutRate, double flushTimeoutRate,
                          double failRate, List<Fault> faults, long everysecWindowNanos, long meanLatencyNanos,
                          boolean cutBeforeEarlierFlush) {
        public Options {
            faults = List.copyOf(faults);
            if (crashes < 1) throw new IllegalArgumentException("at least one crash");
        }
    }

    /**
     * One crash as the simulator made it: the checker's input plus the truth behind it.
     * {@code logLengthAtCycleStart} is how much of the applied log the previous crash kept; a
     * {@code keptPrefix} below it means this crash also dropped data earlier crashes kept.
     * {@code lossWindowNanos} is the true data-loss window: the crash time minus the acknowledgement
     * of the earliest acknowledged op the crash dropped (0 when none).
     */
    public record CrashTruth(Crash crash, Fault fault, int logLengthAtCycleStart, int logLengthAtCrash, int keptPrefix,
                             List<Op> keptInvocations, long lossWindowNanos) {
        public boolean keptEarlierCycles() {
            return keptPrefix >= logLengthAtCycleStart;
        }
    }

    /** A simulated trial: the history, the crashes for the checker, and the truth. */
    public record Trial(long seed, Options options, History history, List<Crash> crashes, List<CrashTruth> truth) {
    }

    // ---- simulation state -----------------------------------------------------------------------

    private static final class OpState {
        final int process;
        final Invocation inv;
        Op invoke;
        boolean willApply;        // decided at invoke; a crash before the linearization point cancels it
        boolean timeout;          // ends info
        boolean fail;             // ends fail
        boolean applied;          // linearized and applied to the model
        boolean done;
        long completionSeq = -1;  // only this COMPLETE event counts (a crash replaces the original)
        Object result;
        long ackTime = -1;        // completion time when it ended ok

        OpState(int process, Invocation inv) {
            this.process = process;
            this.inv = inv;
        }
    }

    private record Event(long time, long seq, int kind, OpState op, int process) {
        static final int INVOKE = 0, LIN = 1, COMPLETE = 2, CRASH = 3, RESTART = 4;
    }

    /** Where a client process is: exactly one of these at any time. */
    private enum PState { SCHEDULED, BUSY, PARKED, FLUSH_WAITING, RETIRED }

    private final SplittableRandom rnd;
    private final Options o;
    private final Workload.Generator gen;
    private final PriorityQueue<Event> queue = new PriorityQueue<>((a, b) -> a.time != b.time ? Long.compare(a.time, b.time)
            : Long.compare(a.seq, b.seq));
    private long seq;
    private long now;
    private final List<Op> ops = new ArrayList<>();
    private final Model model = new Model();
    private final List<OpState> log = new ArrayList<>();
    private final List<OpState> inFlight = new ArrayList<>();
    private final Map<Integer, PState> state = new HashMap<>();
    private final java.util.LinkedHashSet<Integer> parked = new java.util.LinkedHashSet<>();
    private final Map<Integer, Invocation> drawn = new HashMap<>();
    private int nextProcess;
    private int invoked;
    private boolean down;
    private boolean finished;
    private boolean crashPending;
    private int cycleStartLog;       // log length the previous crash kept
    private int earlierFlushFloor;   // 1 + index of the last FLUSHALL in that kept log (0 if none)
    private OpState flushRunning;
    private Integer flushWaiting;
    private final List<Long> crashAt = new ArrayList<>();
    private final List<Crash> crashes = new ArrayList<>();
    private final List<CrashTruth> truth = new ArrayList<>();
    private final long seed;

    private ServerSimulator(long seed, Options o) {
        this.seed = seed;
        this.rnd = new SplittableRandom(seed);
        this.o = o;
        this.gen = o.workload().generator(seed);
    }

    public static Trial run(long seed, Options o) {
        return new ServerSimulator(seed, o).simulate();
    }

    private Trial simulate() {
        // Crash i strikes once about (i+1)/crashes of the ops have been invoked; the last one ends the trial.
        for (int i = 0; i < o.crashes(); i++) {
            long at = (long) o.ops() * (i + 1) / o.crashes();
            if (i < o.crashes() - 1) at = Math.max(1, at - rnd.nextLong(Math.max(1, o.ops() / (4L * o.crashes()))));
            crashAt.add(at);
        }
        for (int i = 0; i < o.processes(); i++) wake(newProcess(), think());
        while (!queue.isEmpty()) {
            Event e = queue.poll();
            now = e.time;
            switch (e.kind) {
                case Event.INVOKE -> invoke(e.time, e.process);
                case Event.LIN -> linearize(e.op);
                case Event.COMPLETE -> {
                    if (e.seq == e.op.completionSeq) complete(e.time, e.op);
                }
                case Event.CRASH -> crash(e.time);
                case Event.RESTART -> restart(e.time);
                default -> throw new IllegalStateException();
            }
        }
        for (Map.Entry<Integer, PState> e : state.entrySet()) {
            if (e.getValue() == PState.BUSY) throw new IllegalStateException("process " + e.getKey() + " still busy at the end");
        }
        return new Trial(seed, o, new History(ops), List.copyOf(crashes), List.copyOf(truth));
    }

    private int newProcess() {
        int p = nextProcess++;
        setState(p, PState.PARKED);
        return p;
    }

    private void setState(int process, PState st) {
        state.put(process, st);
        if (st == PState.PARKED) parked.add(process);
        else parked.remove(process);
    }

    private long schedule(long time, int kind, OpState op, int process) {
        long s = seq++;
        queue.add(new Event(time, s, kind, op, process));
        return s;
    }

    /** Lets a parked process invoke its next op at the given time. */
    private void wake(int process, long at) {
        if (state.get(process) != PState.PARKED) throw new IllegalStateException("wake " + process + " in " + state.get(process));
        setState(process, PState.SCHEDULED);
        schedule(at, Event.INVOKE, null, process);
    }

    private long think() {
        return now + 1 + rnd.nextLong(Math.max(2, o.meanLatencyNanos() / 2));
    }

    private long latency() {
        long m = o.meanLatencyNanos();
        if (rnd.nextDouble() < 0.05) return m * 5 + rnd.nextLong(m * 20); // heavy tail: long overlaps
        return 2 + rnd.nextLong(2 * m);
    }

    private void invoke(long t, int process) {
        if (state.get(process) != PState.SCHEDULED) throw new IllegalStateException("invoke " + process + " in " + state.get(process));
        if (finished) {
            setState(process, PState.RETIRED);
            return;
        }
        if (down || flushRunning != null || flushWaiting != null) {
            setState(process, PState.PARKED);
            return;
        }
        Invocation inv = drawn.remove(process);
        if (inv == null) inv = gen.next(process);
        if (Workload.exclusive(inv.f()) && !inFlight.isEmpty()) {
            // Wait until every op in flight has completed; nothing new starts meanwhile.
            flushWaiting = process;
            setState(process, PState.FLUSH_WAITING);
            drawn.put(process, inv);
            return;
        }
        start(t, process, inv);
    }

    private void start(long t, int process, Invocation inv) {
        setState(process, PState.BUSY);
        OpState op = new OpState(process, inv);
        op.invoke = record(t, OpType.INVOKE, process, inv.f(), inv.key(), inv.value(), null);
        invoked++;
        inFlight.add(op);
        boolean exclusive = Workload.exclusive(inv.f());
        double timeoutRate = exclusive ? o.flushTimeoutRate() : o.timeoutRate();
        long end;
        if (rnd.nextDouble() < o.failRate()) {
            op.fail = true;
            end = t + latency();
        } else if (rnd.nextDouble() < timeoutRate) {
            op.timeout = true;
            op.willApply = rnd.nextBoolean();
            end = t + 10 * o.meanLatencyNanos() + rnd.nextLong(10 * o.meanLatencyNanos());
        } else {
            op.willApply = true;
            end = t + latency();
        }
        if (exclusive) flushRunning = op;
        if (op.willApply) schedule(t + 1 + rnd.nextLong(Math.max(1, end - t - 1)), Event.LIN, op, process);
        op.completionSeq = schedule(end, Event.COMPLETE, op, process);
        if (!crashPending && crashes.size() < crashAt.size() && invoked >= crashAt.get(crashes.size())) {
            crashPending = true;
            schedule(t + 1 + rnd.nextLong(Math.max(1, 3 * o.meanLatencyNanos())), Event.CRASH, null, -1);
        }
    }

    private void linearize(OpState op) {
        if (op.done || !op.willApply || op.applied) return;
        op.applied = true;
        op.result = model.apply(op.inv);
        log.add(op);
    }

    private void complete(long t, OpState op) {
        op.done = true;
        inFlight.remove(op);
        OpType type;
        Object value = null;
        String error = null;
        if (op.fail) {
            type = OpType.FAIL;
            error = "ERR refused (simulated)";
        } else if (op.timeout || !op.applied) {
            type = OpType.INFO;
            error = op.timeout ? "timeout (simulated)" : "connection lost (simulated crash)";
        } else {
            type = OpType.OK;
            value = op.result;
            op.ackTime = t;
        }
        record(t, type, op.process, op.inv.f(), op.inv.key(), value, error);
        if (op == flushRunning) flushRunning = null;
        int next = op.process;
        if (type == OpType.INFO) {
            setState(op.process, PState.RETIRED);
            next = newProcess(); // a process whose op ended info is replaced
        } else {
            setState(op.process, PState.PARKED);
        }
        if (finished) {
            setState(next, PState.RETIRED);
            return;
        }
        if (down) return; // stays parked until the restart
        wake(next, think());
        if (flushWaiting != null && inFlight.isEmpty()) startWaitingFlush(t + 1);
        if (flushRunning == null && flushWaiting == null) unpark();
    }

    private void startWaitingFlush(long t) {
        int p = flushWaiting;
        flushWaiting = null;
        start(t, p, drawn.remove(p));
    }

    private void unpark() {
        for (int p : new ArrayList<>(parked)) wake(p, think());
    }

    private void crash(long t) {
        crashPending = false;
        down = true;
        // Every op in flight ends info shortly after the crash: applied iff already linearized.
        for (OpState op : new ArrayList<>(inFlight)) {
            op.willApply = op.applied;
            op.timeout = false;
            op.fail = false;
            op.completionSeq = schedule(t + 1 + rnd.nextLong(o.meanLatencyNanos()), Event.COMPLETE, op, op.process);
        }
        Fault fault = o.faults().get(rnd.nextInt(o.faults().size()));
        DurabilityBound bound = switch (fault) {
            case KILL, POWER_LOSS_ALWAYS -> DurabilityBound.NONE;
            case POWER_LOSS_EVERYSEC -> new DurabilityBound(o.everysecWindowNanos());
            case POWER_LOSS_NO -> DurabilityBound.UNBOUNDED;
        };
        int len = log.size();
        int keep;
        if (fault == Fault.KILL) {
            keep = len;
        } else {
            int required = 0;
            for (int i = 0; i < len; i++) {
                OpState op = log.get(i);
                if (op.ackTime >= 0 && op.ackTime <= t && !bound.allowsLoss(op.ackTime, t)) required = i + 1;
            }
            if (!o.cutBeforeEarlierFlush()) required = Math.max(required, earlierFlushFloor);
            double x = rnd.nextDouble();
            if (x < 0.25) keep = len;
            else if (x < 0.45) keep = required;
            else if (x < 0.75) keep = Math.max(required, len - rnd.nextInt(Math.max(1, Math.min(40, len - required + 1))));
            else keep = required + rnd.nextInt(len - required + 1);
        }
        long earliestLost = Long.MAX_VALUE;
        for (OpState op : log.subList(keep, len)) {
            // Reads are in the log too (linearized like writes) but losing one loses no data.
            if (Functions.isWrite(op.inv.f()) && op.ackTime >= 0 && op.ackTime <= t) earliestLost = Math.min(earliestLost, op.ackTime);
        }
        long trueWindow = earliestLost == Long.MAX_VALUE ? 0 : t - earliestLost;
        List<OpState> kept = new ArrayList<>(log.subList(0, keep));
        log.clear();
        log.addAll(kept);
        model.reset();
        for (OpState op : kept) model.apply(op.inv);
        List<Op> keptInv = new ArrayList<>();
        for (OpState op : kept) keptInv.add(op.invoke);
        Crash c = Crash.recovered(crashes.size() + 1, fault.label, t, model.snapshot(), bound);
        crashes.add(c);
        truth.add(new CrashTruth(c, fault, cycleStartLog, len, keep, keptInv, trueWindow));
        cycleStartLog = keep;
        earlierFlushFloor = 0;
        for (int i = 0; i < keep; i++) if (kept.get(i).inv.f().equals(Functions.FLUSHALL)) earlierFlushFloor = i + 1;
        if (crashes.size() == o.crashes()) {
            finished = true; // the ops in flight still complete (info); nothing new starts
            return;
        }
        schedule(t + 2 * o.meanLatencyNanos() + rnd.nextLong(20 * o.meanLatencyNanos()), Event.RESTART, null, -1);
    }

    private void restart(long t) {
        down = false;
        if (!inFlight.isEmpty()) throw new IllegalStateException("ops still in flight at restart");
        if (flushWaiting != null) startWaitingFlush(t + 1);
        else unpark();
    }

    private Op record(long t, OpType type, int process, String f, String key, Object value, String error) {
        Op op = new Op(ops.size(), t, type, process, f, key, value, error);
        ops.add(op);
        return op;
    }

    // ---- the server's state ------------------------------------------------------------------------

    /** The single-threaded server: counters and lists (lists kept in growth order). */
    static final class Model {
        final Map<String, Long> counters = new HashMap<>();
        final Map<String, List<String>> lists = new HashMap<>();

        void reset() {
            counters.clear();
            lists.clear();
        }

        Object apply(Invocation inv) {
            return switch (inv.f()) {
                case Functions.TXN -> {
                    List<Object> results = new ArrayList<>();
                    for (Object s : (List<?>) inv.value()) {
                        List<?> st = (List<?>) s;
                        results.add(step((String) st.get(0), (String) st.get(1), st.get(2)));
                    }
                    yield results;
                }
                case Functions.FLUSHALL -> {
                    reset();
                    yield null;
                }
                case Functions.GET -> counters.get(inv.key());
                case Functions.LRANGE -> redisOrder(inv.key(), lists.getOrDefault(inv.key(), List.of()));
                default -> step(inv.f(), inv.key(), inv.value());
            };
        }

        private Long step(String f, String key, Object arg) {
            if (f.equals(Functions.INCR)) return counters.merge(key, ((Number) arg).longValue(), Long::sum);
            List<String> l = lists.computeIfAbsent(key, k -> new ArrayList<>());
            l.add((String) arg);
            return (long) l.size();
        }

        static List<String> redisOrder(String key, List<String> growth) {
            List<String> out = new ArrayList<>(growth);
            if (Keys.isList(key) && Keys.pushesLeft(key)) Collections.reverse(out);
            return out;
        }

        Map<String, Object> snapshot() {
            Map<String, Object> m = new LinkedHashMap<>();
            counters.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> m.put(e.getKey(), e.getValue()));
            lists.entrySet().stream().sorted(Map.Entry.comparingByKey()).filter(e -> !e.getValue().isEmpty())
                    .forEach(e -> m.put(e.getKey(), redisOrder(e.getKey(), e.getValue())));
            return m;
        }
    }
}
