package lossmeter.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Every key of every database of a server, with its type, value and absolute expiry, read through
 * plain commands (SCAN, TYPE, GET, LRANGE, PTTL) so that it works the same on our server and on
 * real Redis.
 */
record Dataset(Map<Integer, Map<String, Entry>> dbs) {

    /** A key's type ("string" or "list"), value (String or List of String) and expiry in unix ms (-1: none). */
    record Entry(String type, Object value, long expireAtMillis) {
    }

    static Dataset read(Jedis j, int databases) {
        Map<Integer, Map<String, Entry>> all = new TreeMap<>();
        try {
            for (int db = 0; db < databases; db++) {
                j.select(db);
                Map<String, Entry> keys = new TreeMap<>();
                for (String key : scanAll(j)) {
                    String type = j.type(key);
                    Object value = switch (type) {
                        case "string" -> j.get(key);
                        case "list" -> j.lrange(key, 0, -1);
                        case "none" -> null; // expired between SCAN and TYPE: not expected in these tests
                        default -> throw new AssertionError("unexpected type " + type + " of key " + key);
                    };
                    long pttl = j.pttl(key);
                    long at = pttl >= 0 ? System.currentTimeMillis() + pttl : pttl;
                    keys.put(key, new Entry(type, value, at));
                }
                if (!keys.isEmpty()) all.put(db, keys);
            }
        } finally {
            j.select(0);
        }
        return new Dataset(all);
    }

    static List<String> scanAll(Jedis j) {
        List<String> out = new ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams params = new ScanParams().count(100);
        do {
            ScanResult<String> r = j.scan(cursor, params);
            out.addAll(r.getResult());
            cursor = r.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return out;
    }

    int size() {
        return dbs.values().stream().mapToInt(Map::size).sum();
    }

    /** Same databases, keys, types and values; expiries equal within the tolerance (both none, or both set). */
    void assertSameAs(Dataset expected, long ttlToleranceMillis, String what) {
        assertThat(dbs.keySet()).as("%s: non-empty databases", what).isEqualTo(expected.dbs.keySet());
        for (var e : expected.dbs.entrySet()) {
            Map<String, Entry> mine = dbs.get(e.getKey());
            assertThat(mine.keySet()).as("%s: keys of db %d", what, e.getKey()).isEqualTo(e.getValue().keySet());
            for (var k : e.getValue().entrySet()) {
                Entry want = k.getValue();
                Entry got = mine.get(k.getKey());
                String where = what + ": db " + e.getKey() + " key '" + k.getKey() + "'";
                assertThat(got.type()).as("%s type", where).isEqualTo(want.type());
                assertThat(got.value()).as("%s value", where).isEqualTo(want.value());
                if (want.expireAtMillis() < 0) {
                    assertThat(got.expireAtMillis()).as("%s ttl", where).isEqualTo(want.expireAtMillis());
                } else {
                    assertThat(got.expireAtMillis()).as("%s expiry (unix ms)", where)
                            .isCloseTo(want.expireAtMillis(), org.assertj.core.data.Offset.offset(ttlToleranceMillis));
                }
            }
        }
    }
}
