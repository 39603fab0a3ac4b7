package lossmeter.harness.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import lossmeter.faults.target.Endpoint;
import lossmeter.faults.target.TargetAdmin;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Reads a target's whole keyspace after a restart, in the form the checker takes: every key found
 * by SCAN mapped to a Long (a string that parses as a number), a String (one that does not: the
 * checker calls it CORRUPT), or a List of String (a list). A key of any other type maps to the
 * String {@code <type:TYPE>}, which no client writes, so the checker flags it too.
 */
public final class StateReader {
    private StateReader() {
    }

    public static Map<String, Object> read(Endpoint endpoint, Duration timeout) {
        try (Jedis j = TargetAdmin.jedis(endpoint, timeout)) {
            Map<String, Object> state = new TreeMap<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            ScanParams params = new ScanParams().count(1000);
            do {
                ScanResult<String> page = j.scan(cursor, params);
                for (String key : page.getResult()) {
                    // SCAN may return a key twice; reading it twice is harmless.
                    Object v = value(j, key);
                    if (v != null) state.put(key, v);
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            return state;
        }
    }

    private static Object value(Jedis j, String key) {
        String type = j.type(key);
        return switch (type) {
            case "string" -> {
                String s = j.get(key);
                yield s == null ? null : parse(s);
            }
            case "list" -> List.copyOf(j.lrange(key, 0, -1));
            case "none" -> null;
            default -> "<type:" + type + ">";
        };
    }

    /** A counter's value as a Long, or the raw string when it is not a number. */
    static Object parse(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return s;
        }
    }
}
