package lossmeter.faults.target;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * One administrative connection to a running target, for faults that steer it (CONFIG SET,
 * BGREWRITEAOF, BGSAVE) and watch it (INFO persistence). An error reply is a
 * {@link TargetRefusedException} carrying the server's text; a lost connection stays a Jedis
 * exception, since the fault cannot know what the server did.
 */
public final class TargetAdmin implements AutoCloseable {
    private final Jedis jedis;

    private TargetAdmin(Jedis jedis) {
        this.jedis = jedis;
    }

    public static TargetAdmin connect(Endpoint endpoint, Duration timeout) {
        return new TargetAdmin(jedis(endpoint, timeout));
    }

    /**
     * A Jedis connection to a target with {@link #clientConfig} settings: the one place the
     * harness's clients, state reader and controls get theirs.
     */
    public static Jedis jedis(Endpoint endpoint, Duration timeout) {
        return new Jedis(new HostAndPort(endpoint.host(), endpoint.port()), clientConfig(timeout));
    }

    /**
     * Client settings for every connection to a target: no CLIENT SETINFO and no protocol set
     * (naming one, even RESP2, makes Jedis send HELLO), so a connection sends nothing before the
     * first command and works with minimal servers that know neither HELLO nor CLIENT.
     */
    public static JedisClientConfig clientConfig(Duration timeout) {
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        return DefaultJedisClientConfig.builder().connectionTimeoutMillis(ms).socketTimeoutMillis(ms)
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED).build();
    }

    /** Sends a command and returns its reply as text (status, bulk or integer). */
    public String command(String... args) {
        Protocol.Command cmd;
        try {
            cmd = Protocol.Command.valueOf(args[0].toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a command Jedis knows: " + args[0], e);
        }
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        try {
            Object reply = jedis.sendCommand(cmd, rest);
            return text(reply);
        } catch (JedisDataException e) {
            throw new TargetRefusedException(String.join(" ", args), e.getMessage());
        }
    }

    public void configSet(String name, String value) {
        command("CONFIG", "SET", name, value);
    }

    /** One INFO section as field → value. */
    public Map<String, String> info(String section) {
        return parseInfo(command("INFO", section));
    }

    public long dbsize() {
        return Long.parseLong(command("DBSIZE"));
    }

    /** An INFO reply as field → value (section headers and blank lines skipped). */
    public static Map<String, String> parseInfo(String info) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : info.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (line.startsWith("#") || colon < 0) continue;
            m.put(line.substring(0, colon), line.substring(colon + 1).strip());
        }
        return m;
    }

    private static String text(Object reply) {
        if (reply == null) return null;
        if (reply instanceof byte[] b) return SafeEncoder.encode(b);
        return String.valueOf(reply);
    }

    @Override
    public void close() {
        jedis.close();
    }
}
