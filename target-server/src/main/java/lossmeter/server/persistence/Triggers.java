package lossmeter.server.persistence;

import java.util.List;

import lossmeter.server.config.SavePoint;

/** When the cron starts a save by itself, as Redis's serverCron decides it: pure rules, no state. */
final class Triggers {
    /** After a failed BGSAVE, save points try again only after this long (Redis's CONFIG_BGSAVE_RETRY_DELAY). */
    static final long BGSAVE_RETRY_DELAY_MS = 5000;

    private Triggers() {
    }

    /**
     * The first save point met (at least {@code changes} changes and more than {@code seconds}
     * since the last save), or null; after a failed BGSAVE none is met until the retry delay passed.
     */
    static SavePoint duePoint(List<SavePoint> points, long changes, long nowMillis, long lastSaveUnix, boolean lastBgsaveOk,
            long lastBgsaveTryMillis) {
        if (!lastBgsaveOk && nowMillis - lastBgsaveTryMillis <= BGSAVE_RETRY_DELAY_MS) return null;
        for (SavePoint sp : points) {
            if (changes >= sp.changes() && nowMillis - lastSaveUnix * 1000 > sp.seconds() * 1000L) return sp;
        }
        return null;
    }

    /**
     * The AOF's growth in percent since the last rewrite when it calls for an automatic rewrite
     * (bigger than {@code minSize} and grown by at least {@code percentage}), else -1. A base of
     * 0 (a new file) counts as 1 byte, as Redis does.
     */
    static long rewriteGrowth(long size, long baseSize, long minSize, long percentage) {
        if (percentage <= 0 || size <= minSize) return -1;
        long growth = size * 100 / Math.max(1, baseSize) - 100;
        return growth >= percentage ? growth : -1;
    }

    /**
     * After three failed rewrites in a row, automatic rewrites wait a minute, doubling up to an
     * hour, as Redis 7.0 limits them (BGREWRITEAOF by hand is never delayed): a full or read-only
     * disk must not turn the cron into a loop of failing rewrites.
     */
    static boolean rewriteLimited(int failuresInARow, long lastFailureMillis, long nowMillis) {
        if (failuresInARow < 3) return false;
        long delay = Math.min(60L * 60_000, 60_000L << Math.min(6, failuresInARow - 3));
        return nowMillis - lastFailureMillis < delay;
    }
}
