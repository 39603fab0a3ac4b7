package lossmeter.workloads.generator;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Relative weights of the kinds of operation a workload issues: {@code incr}, {@code push},
 * {@code txn}, {@code read}, {@code flush}, as integers of any scale (the default mixed workload uses per-mille:
 * one FLUSHALL in a thousand ops, so flushes do not wipe out what a crash could lose). Parsed from {@code incr=350,push=300,...}.
 */
public record OpMix(int incr, int push, int txn, int read, int flush) {
    public OpMix {
        if (incr < 0 || push < 0 || txn < 0 || read < 0 || flush < 0) throw new IllegalArgumentException("op mix weights must be ≥ 0");
        if (incr + push + txn + read + flush == 0) throw new IllegalArgumentException("op mix must have a positive weight");
        if (read > 0 && incr + push + txn == 0) {
            // Reads alone are fine; they check nothing about durability but are legal.
        }
    }

    public int total() {
        return incr + push + txn + read + flush;
    }

    public static OpMix parse(String spec) {
        Map<String, Integer> m = new LinkedHashMap<>(Map.of("incr", 0, "push", 0, "txn", 0, "read", 0, "flush", 0));
        for (String part : spec.split(",")) {
            String[] kv = part.trim().split("=");
            if (kv.length != 2 || !m.containsKey(kv[0].trim().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("bad op mix '" + spec + "': expected e.g. incr=350,push=300,txn=150,read=199,flush=1");
            }
            try {
                m.put(kv[0].trim().toLowerCase(Locale.ROOT), Integer.parseInt(kv[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad op mix weight '" + kv[1] + "' in '" + spec + "'");
            }
        }
        return new OpMix(m.get("incr"), m.get("push"), m.get("txn"), m.get("read"), m.get("flush"));
    }

    @Override
    public String toString() {
        return "incr=" + incr + ",push=" + push + ",txn=" + txn + ",read=" + read + ",flush=" + flush;
    }
}
