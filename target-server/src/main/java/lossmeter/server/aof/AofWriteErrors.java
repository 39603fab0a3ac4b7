package lossmeter.server.aof;

import java.io.IOException;

import lossmeter.server.log.Log;

/**
 * The state of the AOF's write() path between a failed write and the write that succeeds again,
 * as Redis keeps it: the error text writes are refused with (MISCONF), a retry once a second from
 * the cron, and the warning logged at most every 30 s while the disk stays full. The everysec
 * fsync's own failures are {@link BackgroundFsync}'s.
 */
final class AofWriteErrors {
    private static final long RETRY_MS = 1000;
    private static final long LOG_EVERY_MS = 30_000;

    private final Log log;
    private boolean ok = true;
    private String error = "";
    private long lastRetryMillis;
    private long lastLogMillis = -LOG_EVERY_MS;

    AofWriteErrors(Log log) {
        this.log = log;
    }

    /** Whether the last write succeeded. */
    boolean ok() {
        return ok;
    }

    /** The last failed write's error text ("" while writes succeed). */
    String error() {
        return error;
    }

    /** Whether the warning for a failed write at {@code now} is logged (at most every 30 s); counts it as logged. */
    boolean logNow(long now) {
        if (now - lastLogMillis < LOG_EVERY_MS) return false;
        lastLogMillis = now;
        return true;
    }

    /** A write failed at {@code now} with {@code reason}: writes are refused until one succeeds. */
    void failed(String reason, long now) {
        ok = false;
        error = reason;
        lastRetryMillis = now;
    }

    /** A write succeeded: the error state (if any) ends. */
    void succeeded() {
        if (ok) return;
        log.warning("AOF write error looks solved, Redis can write again.");
        ok = true;
    }

    /** Whether a failed write is due for its once-a-second retry at {@code now}; counts it as retried. */
    boolean retryDue(long now) {
        if (ok || now - lastRetryMillis < RETRY_MS) return false;
        lastRetryMillis = now;
        return true;
    }

    /** The text a short write is refused with: a short write means the disk is full, whatever else errno said. */
    static String shortWrite(String reason) {
        return reason.contains("No space left") ? reason : "No space left on device";
    }

    /** The strerror-like text of an IO error (Java's messages for errno carry it verbatim). */
    static String message(IOException e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
