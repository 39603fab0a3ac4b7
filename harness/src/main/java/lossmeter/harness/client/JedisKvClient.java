package lossmeter.harness.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import lossmeter.faults.target.Endpoint;
import lossmeter.faults.target.TargetAdmin;
import lossmeter.workloads.client.ClientException;
import lossmeter.workloads.client.KvClient;
import lossmeter.workloads.history.Functions;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A {@link KvClient} over one Jedis connection, with the per-op timeout as the socket timeout. An
 * error reply is a definite failure (the server refused, the op did not happen); a timeout or a
 * lost connection is indefinite (the op may have happened), so the caller records it as info.
 */
public final class JedisKvClient implements KvClient {
    /** The default per-op timeout: long enough for an fsync under load, short enough to see a stalled server. */
    public static final Duration DEFAULT_OP_TIMEOUT = Duration.ofSeconds(1);

    /**
     * How long a FLUSHALL waits for its reply. The checker needs every FLUSHALL to run alone (every
     * other op before or after it). One that timed out while the server was paused would still run
     * when the server resumes, after ops invoked later: so it waits longer than any pause, and a
     * server that dies ends the wait at once by dropping the connection.
     */
    public static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(30);

    private final Jedis jedis;
    private final Duration opTimeout;

    private JedisKvClient(Jedis jedis, Duration opTimeout) {
        this.jedis = jedis;
        this.opTimeout = opTimeout;
    }

    /**
     * Opens the connection now. A failure here is definite: nothing was sent, so no op can have
     * happened.
     */
    public static JedisKvClient connect(Endpoint endpoint, Duration opTimeout) {
        Jedis j = null;
        try {
            j = TargetAdmin.jedis(endpoint, opTimeout);
            j.connect();
            return new JedisKvClient(j, opTimeout);
        } catch (RuntimeException e) {
            if (j != null) j.close();
            throw new ClientException("cannot connect to " + endpoint + ": " + e.getMessage(), true, e);
        }
    }

    /** True when the connection failed and must be replaced before the next op. */
    public boolean broken() {
        return jedis.isBroken() || !jedis.isConnected();
    }

    @Override
    public long incrBy(String key, long by) {
        return call(() -> by == 1 ? jedis.incr(key) : jedis.incrBy(key, by));
    }

    @Override
    public long rpush(String key, String element) {
        return call(() -> jedis.rpush(key, element));
    }

    @Override
    public long lpush(String key, String element) {
        return call(() -> jedis.lpush(key, element));
    }

    @Override
    public String get(String key) {
        return call(() -> jedis.get(key));
    }

    @Override
    public List<String> lrange(String key) {
        return call(() -> jedis.lrange(key, 0, -1));
    }

    @Override
    public void flushAll() {
        int wait = (int) Math.max(FLUSH_TIMEOUT.toMillis(), opTimeout.toMillis());
        try {
            jedis.getConnection().setSoTimeout(wait);
            call(jedis::flushAll);
        } finally {
            if (!broken()) jedis.getConnection().setSoTimeout((int) opTimeout.toMillis());
        }
    }

    @Override
    public List<Object> txn(List<List<Object>> steps) {
        return call(() -> {
            Transaction t = jedis.multi();
            for (List<Object> step : steps) {
                String f = (String) step.get(0);
                String key = (String) step.get(1);
                Object v = step.get(2);
                switch (f) {
                    case Functions.INCR -> t.incrBy(key, ((Number) v).longValue());
                    case Functions.RPUSH -> t.rpush(key, (String) v);
                    case Functions.LPUSH -> t.lpush(key, (String) v);
                    default -> throw new IllegalArgumentException("unknown transaction step " + f);
                }
            }
            List<Object> replies = t.exec();
            if (replies == null) throw new JedisDataException("EXEC aborted the transaction");
            List<Object> out = new ArrayList<>(replies.size());
            for (Object r : replies) {
                // Redis does not roll back: with one step failed the others did happen, so this
                // is neither a clean success nor a clean failure.
                if (r instanceof Exception e) throw new PartialTransaction(e.getMessage());
                out.add(r);
            }
            return out;
        });
    }

    /** A transaction that ran with some step failing: some of its writes happened. */
    private static final class PartialTransaction extends RuntimeException {
        PartialTransaction(String message) {
            super("a step of the transaction failed: " + message, null, false, false);
        }
    }

    private static <T> T call(java.util.function.Supplier<T> op) {
        try {
            return op.get();
        } catch (PartialTransaction e) {
            throw new ClientException(e.getMessage(), false, e);
        } catch (JedisDataException e) {
            // An error reply: the server refused the command, so it did not happen.
            throw new ClientException(e.getMessage(), true, e);
        } catch (RuntimeException e) {
            // Timeout, reset, anything else: the command may have reached the server.
            throw new ClientException(e.getClass().getSimpleName() + ": " + e.getMessage(), false, e);
        }
    }

    @Override
    public void close() {
        try {
            jedis.close();
        } catch (RuntimeException e) {
            // The connection is being thrown away because it failed; closing it cannot fail usefully.
        }
    }
}
