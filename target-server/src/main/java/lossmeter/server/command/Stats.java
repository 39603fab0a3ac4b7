package lossmeter.server.command;

/** Counters INFO reports; only the event-loop thread writes them. */
public final class Stats {
    public long totalConnections;
    public long rejectedConnections;
    public long totalCommands;
    public long expiredKeys;
    public long keyspaceHits;
    public long keyspaceMisses;
    public long totalNetInputBytes;
    public long totalNetOutputBytes;
    /** Clients closed over their output or query buffer limit (Redis 7.4's INFO fields of the same names). */
    public long clientOutputBufferLimitDisconnections;
    public long clientQueryBufferLimitDisconnections;
    public final long startMillis = System.currentTimeMillis();
    public final long startNanos = System.nanoTime();
}
