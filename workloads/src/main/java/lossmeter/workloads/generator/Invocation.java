package lossmeter.workloads.generator;

/** What a client process should do next: a function, a key (null for flushall and txn) and an argument. */
public record Invocation(String f, String key, Object value) {
}
