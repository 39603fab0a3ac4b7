package lossmeter.workloads.check;

/**
 * How much acknowledged data a crash may lose. Two constraints, both of which a lost write must
 * meet: it was acknowledged within {@code windowNanos} before the crash (the fsync policy's W),
 * and at or after {@code horizonNanos} on the trial clock (the snapshot time of the last completed
 * BGSAVE, for RDB-only configurations). {@link #NONE} allows no loss; {@link #UNBOUNDED} allows any
 * (it is reported, not judged).
 */
public record DurabilityBound(long windowNanos, long horizonNanos) {
    /** horizonNanos when there is no absolute horizon. */
    public static final long NO_HORIZON = Long.MIN_VALUE;
    private static final long NO_WINDOW = Long.MAX_VALUE;

    public static final DurabilityBound NONE = new DurabilityBound(0);
    public static final DurabilityBound UNBOUNDED = new DurabilityBound(NO_WINDOW);

    /** The window form: every write acknowledged more than windowNanos before the crash must survive. */
    public DurabilityBound(long windowNanos) {
        this(windowNanos, NO_HORIZON);
    }

    public DurabilityBound {
        if (windowNanos < 0) throw new IllegalArgumentException("a durability window cannot be negative: " + windowNanos);
    }

    public static DurabilityBound ofMillis(long ms) {
        return new DurabilityBound(ms * 1_000_000L);
    }

    /**
     * The horizon form, for a crash during BGSAVE in an RDB-only configuration: everything
     * acknowledged before {@code horizonNanos} (trial clock: when the last completed BGSAVE took its
     * snapshot) must survive; later writes may be lost.
     */
    public static DurabilityBound ackedBefore(long horizonNanos) {
        return new DurabilityBound(NO_WINDOW, horizonNanos);
    }

    public boolean hasHorizon() {
        return horizonNanos != NO_HORIZON;
    }

    /** Any loss is within the bound. */
    public boolean unbounded() {
        return windowNanos == NO_WINDOW && !hasHorizon();
    }

    /** True when a write acknowledged at ackTime may be lost by a crash at crashTime. */
    public boolean allowsLoss(long ackTime, long crashTime) {
        boolean inWindow = windowNanos == NO_WINDOW || ackTime > crashTime - windowNanos;
        return inWindow && ackTime >= horizonNanos;
    }

    @Override
    public String toString() {
        if (unbounded()) return "unbounded";
        String horizon = hasHorizon() ? "acked before " + horizonNanos / 1_000_000 + "ms survives" : null;
        if (windowNanos == NO_WINDOW) return horizon;
        String window = windowNanos / 1_000_000 + "ms";
        return horizon == null ? window : window + ", " + horizon;
    }
}
