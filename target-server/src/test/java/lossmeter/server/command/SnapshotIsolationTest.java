package lossmeter.server.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import lossmeter.server.keyspace.Database;
import lossmeter.server.keyspace.ListValue;

/**
 * A snapshot taken with {@link Database#snapshot()} must keep the dataset as it was, whatever
 * the live database does afterwards: every command that changes a list in place goes through
 * the copy-on-write path.
 */
class SnapshotIsolationTest extends CommandTestBase {
    static List<List<String>> writes() {
        return List.of(
                List.of("LPUSH", "l", "x", "y"),
                List.of("RPUSH", "l", "x", "y"),
                List.of("LPUSHX", "l", "x"),
                List.of("RPUSHX", "l", "x"),
                List.of("LPOP", "l"),
                List.of("RPOP", "l"),
                List.of("LPOP", "l", "3"),
                List.of("RPOP", "l", "2"),
                List.of("LSET", "l", "0", "z"),
                List.of("LTRIM", "l", "1", "2"),
                List.of("LTRIM", "l", "5", "1"),
                List.of("LREM", "l", "0", "b"),
                List.of("LINSERT", "l", "BEFORE", "b", "new"),
                List.of("DEL", "l"),
                List.of("RENAME", "l", "m"),
                List.of("SET", "l", "string"),
                List.of("EXPIRE", "l", "100"),
                List.of("FLUSHALL"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writes")
    void snapshotDoesNotSeeLaterWrites(List<String> write) {
        f.run("RPUSH", "l", "a", "b", "c", "b", "d");
        f.run("RPUSH", "other", "1", "2");
        f.run("SET", "s", "v");
        Database live = f.engine.dbs[0];
        Database snap = live.snapshot();
        Map<String, String> before = contents(snap);

        f.run(write.toArray(String[]::new));
        // A second write of the same key after the first copy must not leak either.
        f.run("RPUSH", "l", "after");
        f.run("LPOP", "other");

        assertEquals(before, contents(snap));
        assertEquals(-1, snap.expireAt(lossmeter.server.keyspace.Key.of("l".getBytes())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writes")
    void liveDatabaseSeesItsOwnWritesAfterASnapshot(List<String> write) {
        EngineFixture reference = new EngineFixture();
        for (EngineFixture e : List.of(f, reference)) {
            e.run("RPUSH", "l", "a", "b", "c", "b", "d");
        }
        f.engine.dbs[0].snapshot();
        String[] argv = write.toArray(String[]::new);
        assertEquals(reference.run(argv), f.run(argv));
        assertEquals(reference.run("RPUSH", "l", "after"), f.run("RPUSH", "l", "after"));
        assertEquals(reference.run("LRANGE", "l", "0", "-1"), f.run("LRANGE", "l", "0", "-1"));
    }

    /** Two snapshots in a row: each keeps its own point in time. */
    @org.junit.jupiter.api.Test
    void successiveSnapshotsAreIndependent() {
        f.run("RPUSH", "l", "a");
        Database first = f.engine.dbs[0].snapshot();
        f.run("RPUSH", "l", "b");
        Database second = f.engine.dbs[0].snapshot();
        f.run("RPUSH", "l", "c");
        f.run("LPOP", "l");
        assertEquals("[a]", first.get(lossmeter.server.keyspace.Key.of("l".getBytes())).toString());
        assertEquals("[a, b]", second.get(lossmeter.server.keyspace.Key.of("l".getBytes())).toString());
        assertEquals(":2\r\n", f.run("LLEN", "l"));
    }

    private static Map<String, String> contents(Database db) {
        Map<String, String> m = new TreeMap<>();
        db.forEach((k, v) -> {
            String value = v instanceof ListValue l ? "list" + l : "string:" + new String((byte[]) v);
            m.put(k.toString(), value + " ttl=" + db.expireAt(k));
        });
        List<String> check = new ArrayList<>(m.keySet());
        assertEquals(check.size(), db.size());
        return m;
    }
}
