package lossmeter.faults;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

import lossmeter.faults.target.TargetAdmin;

/**
 * What the rewrite and BGSAVE faults need to steer a target's background persistence: slow it down
 * with {@code rdb-key-save-delay} so a seeded kill lands inside it, and watch INFO persistence.
 */
final class Persistence {
    /** How long a slowed rewrite or save should take; the kill point is chosen inside it. */
    static final Duration MIN_SPAN = Duration.ofMillis(800);
    static final Duration MAX_SPAN = Duration.ofMillis(2000);
    private static final long MAX_DELAY_MICROS = 1_000_000;

    private Persistence() {
    }

    /** The per-key delay (µs) that makes a save of {@code keys} keys last about {@code span}. */
    static long delayMicros(long keys, Duration span) {
        long perKey = span.toNanos() / 1000 / Math.max(1, keys);
        return Math.clamp(perKey, 1, MAX_DELAY_MICROS);
    }

    static Map<String, String> persistence(TargetAdmin admin) {
        return admin.info("persistence");
    }

    static long number(Map<String, String> info, String field) {
        String v = info.get(field);
        if (v == null) throw new IllegalStateException("the target's INFO persistence has no " + field);
        return Long.parseLong(v);
    }

    /** Polls INFO persistence every few ms until the condition holds; fails after {@code atMost}. */
    static Map<String, String> awaitInfo(TargetAdmin admin, String what, Duration atMost, Predicate<Map<String, String>> condition) {
        @SuppressWarnings("unchecked")
        Map<String, String>[] last = new Map[1];
        await(what).atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).until(() -> {
            last[0] = persistence(admin);
            return condition.test(last[0]);
        });
        return last[0];
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A seeded duration in [min, max]. */
    static Duration between(Duration min, Duration max, double unit) {
        return min.plusNanos((long) ((max.toNanos() - min.toNanos()) * unit));
    }
}
