package lossmeter.server.config;

import java.util.Locale;

/**
 * {@code client-output-buffer-limit}: per client class, a hard limit (the client is closed as soon
 * as its pending replies reach it) and a soft limit (closed once they stayed at or above it for
 * {@code seconds} in a row). 0 disables a limit. Immutable: a change builds a new value, so a bad
 * argument never half-applies.
 *
 * <p>Syntax as in redis.conf: {@code <class> <hard> <soft> <seconds>}, repeated; classes not named
 * keep their limits; {@code replica} and {@code slave} are the same class, shown as {@code slave}
 * by CONFIG GET like Redis 7.0 does.
 */
public record OutputBufferLimits(Limit normal, Limit replica, Limit pubsub) {
    /** One class's limits; {@code hard}/{@code soft} in bytes, 0 = none. */
    public record Limit(long hard, long soft, long softSeconds) {
        public static final Limit NONE = new Limit(0, 0, 0);
    }

    /** Redis's defaults: normal clients unlimited, replicas 256mb/64mb for 60 s, pub/sub 32mb/8mb for 60 s. */
    public static final OutputBufferLimits DEFAULT = new OutputBufferLimits(Limit.NONE,
            new Limit(256L << 20, 64L << 20, 60), new Limit(32L << 20, 8L << 20, 60));

    private static final String ARITY = "Wrong number of arguments in buffer limit configuration.";
    private static final String CLASS = "Invalid client class specified in buffer limit configuration.";
    private static final String VALUE = "Error in hard, soft or soft_seconds setting in buffer limit configuration.";

    /** Applies {@code class hard soft seconds} groups to this value (one argument may hold them all, as CONFIG SET sends). */
    public OutputBufferLimits with(String[] args) throws ConfigException {
        String[] a = args.length == 1 ? args[0].trim().split("\\s+") : args;
        if (a.length == 0 || a.length % 4 != 0 || (a.length == 1 && a[0].isEmpty())) throw new ConfigException(ARITY);
        OutputBufferLimits out = this;
        for (int i = 0; i < a.length; i += 4) {
            Limit l = limit(a[i + 1], a[i + 2], a[i + 3]);
            out = switch (a[i].toLowerCase(Locale.ROOT)) {
                case "normal" -> new OutputBufferLimits(l, out.replica, out.pubsub);
                case "replica", "slave" -> new OutputBufferLimits(out.normal, l, out.pubsub);
                case "pubsub" -> new OutputBufferLimits(out.normal, out.replica, l);
                default -> throw new ConfigException(CLASS);
            };
        }
        return out;
    }

    private static Limit limit(String hard, String soft, String seconds) throws ConfigException {
        try {
            long s = Long.parseLong(seconds);
            if (s < 0) throw new ConfigException(VALUE);
            return new Limit(ServerConfig.parseMemory(hard), ServerConfig.parseMemory(soft), s);
        } catch (NumberFormatException | ConfigException e) {
            throw new ConfigException(VALUE);
        }
    }

    /** CONFIG GET's form: every class, bytes and seconds as plain numbers. */
    public String format() {
        return "normal " + format(normal) + " slave " + format(replica) + " pubsub " + format(pubsub);
    }

    private static String format(Limit l) {
        return l.hard + " " + l.soft + " " + l.softSeconds;
    }
}
