package lossmeter.workloads.check;

/**
 * How much acknowledged data a crash may lose: every write acknowledged more than
 * {@code windowNanos} before the crash must survive. Zero means none may be lost; unbounded means
 * any loss is within policy (it is reported, not judged).
 */
public record DurabilityBound(long windowNanos) {
    public static final DurabilityBound NONE = new DurabilityBound(0);
    public static final DurabilityBound UNBOUNDED = new DurabilityBound(Long.MAX_VALUE);

    public static DurabilityBound ofMillis(long ms) {
        return new DurabilityBound(ms * 1_000_000L);
    }

    public boolean unbounded() {
        return windowNanos == Long.MAX_VALUE;
    }

    /** True when a write acknowledged at ackTime may be lost by a crash at crashTime. */
    public boolean allowsLoss(long ackTime, long crashTime) {
        if (unbounded()) return true;
        return ackTime > crashTime - windowNanos;
    }

    @Override
    public String toString() {
        return unbounded() ? "unbounded" : windowNanos / 1_000_000 + "ms";
    }
}
