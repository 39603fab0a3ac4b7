package lossmeter.harness.explore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import lossmeter.faults.CrashPoint;
import lossmeter.faults.target.Policy;
import lossmeter.harness.client.JedisKvClient;
import lossmeter.workloads.generator.OpMix;

/**
 * Draws scenarios from a seed: the policy and fault among those given, an op mix of one to five
 * kinds, 1–8 keys, 1–8 clients, 1–3 crash cycles of 20–1500 ops each (log-uniform, so short
 * cycles are as likely as long ones), and for the bundled server and redis-server whether the
 * AOF rewrite's RDB preamble is on and whether automatic rewrites run during the scenario. Aimed
 * crash points are drawn when the scenario runs (from the operations the target makes) and then
 * written into it.
 */
public final class ScenarioDraw {
    static final int MAX_KEYS = 8;
    static final int MAX_CLIENTS = 8;
    static final int MAX_CYCLES = 3;
    static final long MIN_OPS = 20;
    static final long MAX_OPS = 1500;

    private final String target;
    private final List<Policy> policies;
    private final List<String> faults;
    private final CrashPoint.Mode crashPoint;
    private final Duration window;
    private final SplittableRandom random;

    public ScenarioDraw(long seed, String target, List<Policy> policies, List<String> faults, CrashPoint.Mode crashPoint, Duration window) {
        if (policies.isEmpty() || faults.isEmpty()) throw new IllegalArgumentException("explore needs at least one policy and one fault");
        this.target = target;
        this.policies = List.copyOf(policies);
        this.faults = List.copyOf(faults);
        this.crashPoint = crashPoint;
        this.window = window;
        this.random = new SplittableRandom(seed);
    }

    /** The next scenario; the sequence depends only on the seed and the choices given. */
    public Scenario next() {
        SplittableRandom r = random.split();
        Policy policy = policies.get(r.nextInt(policies.size()));
        String fault = faults.get(r.nextInt(faults.size()));
        OpMix mix = mix(r);
        int keys = 1 + r.nextInt(MAX_KEYS);
        int clients = 1 + r.nextInt(MAX_CLIENTS);
        int n = 1 + r.nextInt(MAX_CYCLES);
        List<Scenario.Cycle> cycles = new ArrayList<>();
        for (int i = 0; i < n; i++) cycles.add(new Scenario.Cycle(ops(r), null));
        return new Scenario(r.nextLong(), target, directives(r), policy, fault, mix, keys, clients, crashPoint, window,
                JedisKvClient.DEFAULT_OP_TIMEOUT, cycles);
    }

    /** Writes always (incr, push or txn), each kind present or not; FLUSHALL rare (about 1 op in 40 when present). */
    static OpMix mix(SplittableRandom r) {
        int incr;
        int push;
        int txn;
        do {
            incr = r.nextBoolean() ? 4 + r.nextInt(37) : 0;
            push = r.nextBoolean() ? 4 + r.nextInt(37) : 0;
            txn = r.nextInt(3) == 0 ? 2 + r.nextInt(19) : 0;
        } while (incr + push + txn == 0);
        int read = r.nextBoolean() ? 1 + r.nextInt(20) : 0;
        int flush = r.nextInt(3) == 0 ? 1 : 0;
        return new OpMix(incr, push, txn, read, flush);
    }

    static long ops(SplittableRandom r) {
        double lo = Math.log(MIN_OPS);
        double hi = Math.log(MAX_OPS);
        return Math.round(Math.exp(lo + r.nextDouble() * (hi - lo)));
    }

    private Map<String, String> directives(SplittableRandom r) {
        Map<String, String> d = new LinkedHashMap<>();
        if (!target.startsWith("bundled") && !target.startsWith("redis")) return d;
        d.put("aof-use-rdb-preamble", r.nextBoolean() ? "yes" : "no");
        if (r.nextInt(3) == 0) {
            // Rewrites while the workload runs: the AOF switches files under the crash.
            d.put("auto-aof-rewrite-percentage", "100");
            d.put("auto-aof-rewrite-min-size", "16kb");
        }
        return d;
    }
}
