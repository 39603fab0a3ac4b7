package lossmeter.server.net;

import lossmeter.server.config.OutputBufferLimits;

/**
 * Redis's checkClientOutputBufferLimits for one connection: over the hard limit at once, over the
 * soft limit only once it stayed over for more than its seconds without a check finding it below.
 * Like Redis, the check runs when replies were added (after each command), so the soft timer
 * only advances while the client keeps asking.
 */
final class OutputLimit {
    private OutputLimit() {
    }

    /** True when the connection must be closed; updates its soft-limit timer. */
    static boolean reached(Connection c, OutputBufferLimits.Limit limit, long nowMillis) {
        var out = c.client.out;
        if (out.overflowed()) return true; // past the heap-derived cap (HeapCaps): the replies are already gone
        long used = out.length();
        if (used == 0) {
            c.softLimitSinceMillis = 0;
            return false;
        }
        boolean hard = limit.hard() > 0 && used >= limit.hard();
        boolean soft = limit.soft() > 0 && used >= limit.soft();
        if (!soft) {
            c.softLimitSinceMillis = 0;
        } else if (c.softLimitSinceMillis == 0) {
            c.softLimitSinceMillis = nowMillis; // first time seen over: the clock starts
            soft = false;
        } else {
            soft = nowMillis - c.softLimitSinceMillis > limit.softSeconds() * 1000;
        }
        return hard || soft;
    }
}
