package lossmeter.workloads.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import lossmeter.workloads.check.CheckResult;
import lossmeter.workloads.check.Checker;
import lossmeter.workloads.check.Crash;
import lossmeter.workloads.check.CrashVerdict;
import lossmeter.workloads.generator.Keys;
import lossmeter.workloads.generator.Workloads;
import lossmeter.workloads.history.Functions;
import lossmeter.workloads.history.Op;
import lossmeter.workloads.sim.ServerSimulator;
import lossmeter.workloads.sim.ServerSimulator.Fault;
import lossmeter.workloads.sim.ServerSimulator.Options;
import lossmeter.workloads.sim.ServerSimulator.Trial;

/**
 * How long {@link Checker#check} takes as histories grow: simulates a correct server (the same
 * {@link ServerSimulator} the property tests use) for each size, with crashes and timed-out ops,
 * runs the checker a few times after a warm-up, and prints time and ops/s per size plus the ratios
 * of consecutive sizes (about 10 for sizes 10× apart when the cost grows linearly).
 * Run it with bench/checker.sh; {@code --help} lists the options.
 */
public final class CheckerBench {
    private CheckerBench() {
    }

    private static final String USAGE = """
            usage: CheckerBench [--sizes 10000,100000,1000000] [--runs 5] [--warmup 3] [--workload mixed]
                                [--keys 16] [--processes 16] [--crashes 3] [--timeouts 0.01] [--seed 1] [--damaged]
                                [--faults kill,power-loss-always,power-loss-everysec,power-loss-no] [--window-ms 100]
              --sizes      ops (invocations) per history; each history has about twice as many records
              --runs       timed checks per size (median and best are reported)
              --warmup     untimed checks per size before the timed ones (the first size also warms the JIT)
              --workload   counter | list | flush | txn | mixed
              --keys       keys per kind (c0.., l0..)
              --processes  concurrent client processes in the simulation
              --crashes    crash cycles per history (random faults: kill, power loss under always/everysec/no)
              --timeouts   fraction of ops that time out (info; applied or not at random)
              --faults     faults to draw each crash from: kill keeps the whole log; power-loss-always keeps
                           every acked op; power-loss-everysec every op acked before crash − window;
                           power-loss-no any prefix
              --window-ms  W of power-loss-everysec, in simulated ms (ops take about 1 ms)
              --damaged    also add an element nobody wrote to the last crash's state, so the checker must
                           reject it (it then tries every FLUSHALL-separated candidate)
            """;

    public static void main(String[] args) {
        Map<String, String> a = parse(args);
        long[] sizes = Arrays.stream(a.get("sizes").split(",")).mapToLong(s -> Long.parseLong(s.trim())).toArray();
        int runs = Integer.parseInt(a.get("runs"));
        int warmup = Integer.parseInt(a.get("warmup"));
        String workload = a.get("workload");
        int keys = Integer.parseInt(a.get("keys"));
        int processes = Integer.parseInt(a.get("processes"));
        int crashes = Integer.parseInt(a.get("crashes"));
        double timeouts = Double.parseDouble(a.get("timeouts"));
        long seed = Long.parseLong(a.get("seed"));
        boolean damaged = a.containsKey("damaged");
        List<Fault> faults = new ArrayList<>();
        for (String f : a.get("faults").split(",")) {
            faults.add(Arrays.stream(Fault.values()).filter(x -> x.label.equals(f.trim())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown fault '" + f + "'")));
        }
        long windowNanos = Long.parseLong(a.get("window-ms")) * 1_000_000L;

        System.out.printf(Locale.ROOT, "checker bench: workload=%s keys=%d processes=%d crashes=%d timeouts=%.3f faults=%s window=%sms seed=%d"
                + " runs=%d warmup=%d%s%n", workload, keys, processes, crashes, timeouts, a.get("faults"), a.get("window-ms"), seed, runs,
                warmup, damaged ? " damaged" : "");
        System.out.printf(Locale.ROOT, "JVM %s, %d CPUs, max heap %d MiB%n%n", Runtime.version(), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.println("| ops | records | info ops | LRANGE elements | crashes: verdicts (kept/log) | simulate | check median | check best | ops/s (median) | × previous size |");
        System.out.println("|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|");
        List<Double> medians = new ArrayList<>();
        boolean firstSize = true;
        for (long size : sizes) {
            long g0 = System.nanoTime();
            Options o = new Options((int) size, processes, Workloads.byName(workload, keys), crashes, timeouts, 0.0, 0.0,
                    faults, windowNanos, 1_000_000L, false);
            Trial t = ServerSimulator.run(seed, o);
            List<Crash> cs = damaged ? damage(t.crashes(), keys) : t.crashes();
            double simMs = (System.nanoTime() - g0) / 1e6;
            long info = 0, lrangeElements = 0;
            for (Op op : t.history().ops()) {
                if (op.isInfo()) info++;
                if (op.isOk() && op.f().equals(Functions.LRANGE) && op.value() instanceof List<?> l) lrangeElements += l.size();
            }
            CheckResult r = null;
            for (int i = 0; i < warmup + (firstSize ? 2 * warmup : 0); i++) r = Checker.check(t.history(), cs);
            firstSize = false;
            double[] ms = new double[runs];
            for (int i = 0; i < runs; i++) {
                long c0 = System.nanoTime();
                r = Checker.check(t.history(), cs);
                ms[i] = (System.nanoTime() - c0) / 1e6;
            }
            Arrays.sort(ms);
            double median = ms[runs / 2];
            StringBuilder v = new StringBuilder();
            for (int i = 0; i < r.crashes().size(); i++) {
                CrashVerdict cv = r.crashes().get(i);
                ServerSimulator.CrashTruth tr = t.truth().get(i);
                v.append(v.isEmpty() ? "" : ", ").append(cv.verdict()).append(" (").append(tr.keptPrefix()).append('/')
                        .append(tr.logLengthAtCrash()).append(')');
            }
            if (!r.liveReadAnomalies().isEmpty()) v.append(" + ").append(r.liveReadAnomalies().size()).append(" live-read anomalies");
            String ratio = medians.isEmpty() ? "" : String.format(Locale.ROOT, "%.1f", median / medians.getLast());
            medians.add(median);
            System.out.printf(Locale.ROOT, "| %,d | %,d | %,d | %,d | %d: %s | %.0f ms | %.1f ms | %.1f ms | %,.0f | %s |%n", size,
                    t.history().size(), info, lrangeElements, r.crashes().size(), v, simMs, median, ms[0], size / (median / 1000), ratio);
        }
        System.out.println();
        for (int i = 1; i < sizes.length; i++) {
            System.out.printf(Locale.ROOT, "time(%,d) / time(%,d) = %.2f for %.0f× the ops%n", sizes[i], sizes[i - 1],
                    medians.get(i) / medians.get(i - 1), (double) sizes[i] / sizes[i - 1]);
        }
    }

    /** The last crash's state with an element nobody wrote added to one list. */
    private static List<Crash> damage(List<Crash> crashes, int keys) {
        List<Crash> out = new ArrayList<>(crashes);
        Crash c = out.getLast();
        Map<String, Object> state = new LinkedHashMap<>(c.recovered());
        String key = Keys.list(0);
        List<Object> l = new ArrayList<>(state.get(key) instanceof List<?> x ? x : List.of());
        l.add("zz-bench");
        state.put(key, l);
        out.set(out.size() - 1, new Crash(c.cycle(), c.fault(), c.time(), state, c.bound(), c.unavailableReason()));
        return out;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> a = new LinkedHashMap<>(Map.of("sizes", "10000,100000,1000000", "runs", "5", "warmup", "3",
                "workload", "mixed", "keys", "16", "processes", "16", "crashes", "3", "timeouts", "0.01", "seed", "1"));
        a.put("faults", "kill,power-loss-always,power-loss-everysec,power-loss-no");
        a.put("window-ms", "100");
        for (int i = 0; i < args.length; i++) {
            String k = args[i];
            if (k.equals("-h") || k.equals("--help")) {
                System.out.print(USAGE);
                System.exit(0);
            }
            if (k.equals("--damaged")) {
                a.put("damaged", "true");
                continue;
            }
            if (!k.startsWith("--") || !a.containsKey(k.substring(2)) || i + 1 >= args.length) {
                System.err.print("CheckerBench: bad argument '" + k + "'\n" + USAGE);
                System.exit(2);
            }
            a.put(k.substring(2), args[++i]);
        }
        return a;
    }
}
