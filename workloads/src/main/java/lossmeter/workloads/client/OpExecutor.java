package lossmeter.workloads.client;

import java.util.List;

import lossmeter.workloads.generator.Invocation;
import lossmeter.workloads.history.Functions;

/** Carries out one invocation on a client and returns its result in history form. */
public final class OpExecutor {
    private OpExecutor() {
    }

    @SuppressWarnings("unchecked")
    public static Object execute(KvClient c, Invocation inv) {
        return switch (inv.f()) {
            case Functions.INCR -> c.incrBy(inv.key(), ((Number) inv.value()).longValue());
            case Functions.RPUSH -> c.rpush(inv.key(), (String) inv.value());
            case Functions.LPUSH -> c.lpush(inv.key(), (String) inv.value());
            case Functions.GET -> {
                String v = c.get(inv.key());
                if (v == null) yield null;
                try {
                    yield Long.parseLong(v);
                } catch (NumberFormatException e) {
                    // A counter that reads back as a non-number is recorded as-is; the checker calls it CORRUPT.
                    yield v;
                }
            }
            case Functions.LRANGE -> c.lrange(inv.key());
            case Functions.FLUSHALL -> {
                c.flushAll();
                yield null;
            }
            case Functions.TXN -> c.txn((List<List<Object>>) inv.value());
            default -> throw new IllegalArgumentException("unknown function " + inv.f());
        };
    }
}
