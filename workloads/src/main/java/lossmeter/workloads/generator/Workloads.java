package lossmeter.workloads.generator;

import java.util.List;

/** The built-in workloads, by name. */
public final class Workloads {
    public static final List<String> NAMES = List.of("counter", "list", "flush", "txn", "mixed");

    /** The command line's default number of counter keys and list keys each ({@code --keys}). */
    public static final int DEFAULT_KEYS = 8;

    private Workloads() {
    }

    /** The default mixed workload over {@link #DEFAULT_KEYS} keys of each kind. */
    public static Workload mixed() {
        return mixed(DEFAULT_KEYS);
    }

    /** Counters only, over {@link #DEFAULT_KEYS} keys (no FLUSHALL: suits the RDB-snapshot fault). */
    public static Workload counter() {
        return counter(DEFAULT_KEYS);
    }

    public static Workload counter(int keys) {
        return new Workload("counter", keys, new OpMix(80, 0, 0, 20, 0));
    }

    public static Workload list(int keys) {
        return new Workload("list", keys, new OpMix(0, 80, 0, 20, 0));
    }

    public static Workload flush(int keys) {
        return new Workload("flush", keys, new OpMix(400, 400, 0, 190, 10));
    }

    public static Workload txn(int keys) {
        return new Workload("txn", keys, new OpMix(10, 10, 60, 20, 0));
    }

    public static Workload mixed(int keys) {
        return new Workload("mixed", keys, new OpMix(350, 300, 150, 199, 1));
    }

    public static Workload byName(String name, int keys) {
        return switch (name) {
            case "counter" -> counter(keys);
            case "list" -> list(keys);
            case "flush" -> flush(keys);
            case "txn" -> txn(keys);
            case "mixed" -> mixed(keys);
            default -> throw new IllegalArgumentException("unknown workload '" + name + "' (one of " + String.join(", ", NAMES) + ")");
        };
    }
}
