package lossmeter.workloads.client;

import java.util.List;

/**
 * The operations workloads need from a Redis-protocol server. Implementations throw
 * {@link ClientException}: definite when the server answered with an error (the op did not
 * happen), indefinite when the outcome is unknown (timeout, connection lost).
 */
public interface KvClient extends AutoCloseable {
    long incrBy(String key, long by);

    long rpush(String key, String element);

    long lpush(String key, String element);

    /** The string value, or null when the key does not exist. */
    String get(String key);

    List<String> lrange(String key);

    void flushAll();

    /**
     * Runs the steps ({@code [f, key, value]}, f one of incr, rpush, lpush) in MULTI/EXEC and returns
     * their results in order (Long each).
     */
    List<Object> txn(List<List<Object>> steps);

    @Override
    void close();
}
