package lossmeter.server.config;

/** An RDB save point: save when at least {@code changes} writes happened in {@code seconds}. */
public record SavePoint(long seconds, long changes) {
}
