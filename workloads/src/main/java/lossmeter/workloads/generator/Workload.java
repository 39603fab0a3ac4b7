package lossmeter.workloads.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import lossmeter.workloads.history.Functions;

/**
 * A named workload: which keys and which mix of operations. Its generator is seeded and gives
 * each process its own deterministic stream, so a trial's op sequence per process replays from
 * the seed. List elements are unique in the trial: {@code p<process>-<n>}.
 */
public final class Workload {
    private final String name;
    private final int keys;
    private final OpMix mix;

    public Workload(String name, int keys, OpMix mix) {
        if (keys < 1) throw new IllegalArgumentException("keys must be ≥ 1");
        this.name = name;
        this.keys = keys;
        this.mix = mix;
    }

    public String name() {
        return name;
    }

    public int keys() {
        return keys;
    }

    public OpMix mix() {
        return mix;
    }

    public Workload withMix(OpMix m) {
        return new Workload(name, keys, m);
    }

    /** Operations that must run alone (no other op in flight): FLUSHALL, so every op is ordered against it. */
    public static boolean exclusive(String f) {
        return f.equals(Functions.FLUSHALL);
    }

    /** Creates the seeded generator for one trial. Thread-safe: each process draws from its own stream. */
    public Generator generator(long seed) {
        return new Generator(seed);
    }

    /** The per-trial source of invocations. */
    public final class Generator {
        private final long seed;
        private final ConcurrentHashMap<Integer, SplittableRandom> streams = new ConcurrentHashMap<>();
        private final AtomicLong elements = new AtomicLong();

        Generator(long seed) {
            this.seed = seed;
        }

        public Invocation next(int process) {
            SplittableRandom r = streams.computeIfAbsent(process, p -> new SplittableRandom(seed * 1_000_003L + p));
            synchronized (r) {
                int x = r.nextInt(mix.total());
                if ((x -= mix.incr()) < 0) {
                    String k = Keys.counter(r.nextInt(keys));
                    return new Invocation(Functions.INCR, k, Keys.increment(k));
                }
                if ((x -= mix.push()) < 0) {
                    String k = Keys.list(r.nextInt(keys));
                    return new Invocation(Keys.pushesLeft(k) ? Functions.LPUSH : Functions.RPUSH, k, element(process));
                }
                if ((x -= mix.txn()) < 0) return txn(r, process);
                if ((x -= mix.read()) < 0) {
                    boolean counter = mix.incr() > 0 || mix.push() == 0 ? r.nextBoolean() || mix.push() == 0 : false;
                    if (mix.push() > 0 && mix.incr() == 0) counter = false;
                    return counter ? new Invocation(Functions.GET, Keys.counter(r.nextInt(keys)), null)
                            : new Invocation(Functions.LRANGE, Keys.list(r.nextInt(keys)), null);
                }
                return new Invocation(Functions.FLUSHALL, null, null);
            }
        }

        private Invocation txn(SplittableRandom r, int process) {
            int n = 2 + r.nextInt(3);
            List<List<Object>> steps = new ArrayList<>(n);
            List<String> used = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String k;
                do {
                    k = r.nextBoolean() ? Keys.counter(r.nextInt(keys)) : Keys.list(r.nextInt(keys));
                } while (used.contains(k) && used.size() < 2L * keys);
                used.add(k);
                if (Keys.isCounter(k)) {
                    steps.add(List.of(Functions.INCR, k, Keys.increment(k)));
                } else {
                    steps.add(List.of(Keys.pushesLeft(k) ? Functions.LPUSH : Functions.RPUSH, k, element(process)));
                }
            }
            return new Invocation(Functions.TXN, null, steps);
        }

        private String element(int process) {
            return "p" + process + "-" + elements.incrementAndGet();
        }
    }
}
