package lossmeter.faults.target;

/** Where a running target accepts Redis-protocol connections. */
public record Endpoint(String host, int port) {
    @Override
    public String toString() {
        return host + ":" + port;
    }
}
