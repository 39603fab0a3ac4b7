package lossmeter.server.net;

import lossmeter.server.resp.BufferBudget;

/**
 * Bounds on client buffers derived from the JVM's maximum heap, applied whatever
 * {@code client-output-buffer-limit} and {@code client-query-buffer-limit} say.
 *
 * <p>Why: Redis's default for normal clients is {@code normal 0 0 0} (no output limit) and a 1gb
 * query buffer limit. Redis survives that because it has {@code maxmemory}, and because when
 * malloc does fail it dies anyway. The bundled server's heap is often small (tests run it with
 * -Xmx128m), and an {@link OutOfMemoryError} on the event loop would kill every client's server
 * for one slow reader. So the documented defaults are kept, and on top of them one client's
 * buffer array may not exceed 1/8 of the heap and all clients' buffers together 1/4 of it. A
 * client that would pass either is closed and logged exactly like one over its configured hard
 * limit. The numbers leave the other 3/4 for the dataset, and keep any one array well inside the
 * old generation of a small heap (a single array larger than it cannot be allocated at all).
 */
final class HeapCaps {
    /** The smallest per-client cap, so a tiny heap still serves ordinary replies. */
    static final long MIN_PER_CLIENT = 1L << 20;

    final long perClient;
    final BufferBudget budget;

    HeapCaps(long maxHeap) {
        this.perClient = Math.max(MIN_PER_CLIENT, maxHeap / 8);
        this.budget = new BufferBudget(Math.max(2 * MIN_PER_CLIENT, maxHeap / 4));
    }

    static HeapCaps ofThisJvm() {
        return new HeapCaps(Runtime.getRuntime().maxMemory());
    }

    /** The query buffer limit in force: the configured one, unless the heap allows less. */
    long queryLimit(long configured) {
        return Math.min(configured, perClient);
    }
}
