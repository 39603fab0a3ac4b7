package lossmeter.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import redis.clients.jedis.Jedis;

/**
 * Startup on a damaged AOF. One AOF of a few hundred commands is written through the server and
 * shut down cleanly; then its last command is cut at byte offsets inside it (each cut in a fresh
 * directory), garbage is put in its middle, and an unfinished MULTI is put at its end.
 */
@Tag("integration")
class TruncatedAofIT {
    /** At most this many cut offsets per setting; two settings, so about twice as many starts. */
    private static final int MAX_CUTS = 50;
    private static final String LAST_KEY = "last:key";
    private static final String LAST_VALUE = "the-last-command-of-the-file:" + "0123456789".repeat(4);

    @TempDir
    static Path shared;
    private static byte[] original;
    private static AofFile aof;
    /** db -> key -> value, as the server held them before SHUTDOWN. */
    private static final Map<Integer, Map<String, String>> full = new TreeMap<>();
    private static final int startsBefore = ServerProcess.starts();

    @BeforeAll
    static void writeAnAofThroughTheServer() throws Exception {
        Path dir = shared.resolve("source");
        Files.createDirectories(dir);
        try (ServerProcess s = ServerProcess.in(dir).appendonly("always").start(); Jedis j = s.jedis()) {
            j.select(1);
            for (int i = 0; i < 20; i++) j.set("db1:k" + i, "one-" + i);
            j.incrBy("db1:counter", 42);
            j.select(0);
            for (int i = 0; i < 300; i++) {
                switch (i % 5) {
                    case 0 -> j.set("k" + i, "value-" + i);
                    case 1 -> j.incr("counter:" + (i % 7));
                    case 2 -> j.append("log", "[" + i + "]");
                    case 3 -> j.mset("m" + i, "a" + i, "n" + i, "b" + i);
                    default -> j.incrBy("big", i);
                }
            }
            j.set(LAST_KEY, LAST_VALUE);
            for (int db : List.of(0, 1)) full.put(db, snapshot(j, db));
            assertThat(s.stop()).as("SHUTDOWN exit status").isZero();
        }
        original = Files.readAllBytes(dir.resolve("appendonly.aof"));
        aof = AofFile.parse(original);
        assertThat(aof.commands().size()).as("commands in the AOF").isGreaterThan(300);
        assertThat(aof.last().argv()).as("last command of the AOF").containsExactly("SET", LAST_KEY, LAST_VALUE);
        assertThat(aof.commands().get(aof.commands().size() - 2).name()).as("the last command is not preceded by SELECT")
                .isNotEqualTo("SELECT");
    }

    @AfterAll
    static void stayWithinTheStartBudget() {
        int starts = ServerProcess.starts() - startsBefore;
        System.out.println("TruncatedAofIT started the server " + starts + " times");
        assertThat(starts).as("server starts of this class").isLessThanOrEqualTo(120);
    }

    /** Every key and value of one database, through KEYS and GET (the workload writes strings only). */
    private static Map<String, String> snapshot(Jedis j, int db) {
        j.select(db);
        Map<String, String> m = new TreeMap<>();
        for (String k : new TreeSet<>(j.keys("*"))) m.put(k, j.get(k));
        j.select(0);
        return m;
    }

    /** Offsets strictly inside the last command: all of them if few, else evenly spread, always both ends. */
    static LongStream cuts() {
        long start = aof.last().start();
        long end = aof.last().end();
        long first = start + 1;
        long lastCut = end - 1;
        long n = lastCut - first + 1;
        if (n <= MAX_CUTS) return LongStream.rangeClosed(first, lastCut);
        TreeSet<Long> picked = new TreeSet<>();
        for (int i = 0; i < MAX_CUTS; i++) picked.add(first + Math.round((double) i * (n - 1) / (MAX_CUTS - 1)));
        picked.add(first);
        picked.add(lastCut);
        return picked.stream().mapToLong(Long::longValue);
    }

    private static Path fileWith(Path dir, byte[] content) throws IOException {
        Path f = dir.resolve("appendonly.aof");
        Files.write(f, content);
        return f;
    }

    private static void assertHolds(Jedis j, Map<Integer, Map<String, String>> expected, String what) {
        for (var e : expected.entrySet()) {
            assertThat(snapshot(j, e.getKey())).as("%s: every key and value of db %d", what, e.getKey()).isEqualTo(e.getValue());
        }
    }

    private static Map<Integer, Map<String, String>> withoutLastCommand() {
        Map<Integer, Map<String, String>> m = new TreeMap<>();
        full.forEach((db, kv) -> m.put(db, new TreeMap<>(kv)));
        m.get(0).remove(LAST_KEY);
        return m;
    }

    @ParameterizedTest(name = "cut at offset {0}")
    @MethodSource("cuts")
    void loadTruncatedYesStartsWithEveryEarlierWriteAndTruncatesTheFile(long cut, @TempDir Path dir) throws Exception {
        Path file = fileWith(dir, Arrays.copyOf(original, (int) cut));
        long lastStart = aof.last().start();
        try (ServerProcess s = ServerProcess.in(dir).appendonly("everysec").directive("aof-load-truncated", "yes").start();
             Jedis j = s.jedis()) {
            assertHolds(j, withoutLastCommand(), "cut at " + cut);
            assertThat(s.log()).contains("!!! Warning: short read while loading the AOF file")
                    .contains("!!! Truncating the AOF appendonly.aof at offset " + lastStart + " !!!");
            s.kill();
        }
        assertThat(Files.size(file)).as("AOF size after a start on a file cut at %d", cut).isEqualTo(lastStart);
        assertThat(Files.readAllBytes(file)).as("AOF content after the truncation").isEqualTo(Arrays.copyOf(original, (int) lastStart));
    }

    @ParameterizedTest(name = "cut at offset {0}")
    @MethodSource("cuts")
    void loadTruncatedNoRefusesToStartAndNamesCheckAof(long cut, @TempDir Path dir) throws Exception {
        Path file = fileWith(dir, Arrays.copyOf(original, (int) cut));
        try (ServerProcess s = ServerProcess.in(dir).appendonly("everysec").directive("aof-load-truncated", "no").launch()) {
            assertThat(s.awaitExit(ServerProcess.READY_TIMEOUT)).as("exit status; log:\n%s", s.log()).isEqualTo(1);
            assertThat(s.log()).doesNotContain("Ready to accept connections");
            assertThat(s.log().lines().filter(l -> l.contains("check-aof")).toList())
                    .as("log lines naming check-aof; log:\n%s", s.log()).isNotEmpty();
        }
        assertThat(Files.size(file)).as("a refused start leaves the file alone").isEqualTo(cut);
    }

    @ParameterizedTest(name = "aof-load-truncated {0}")
    @ValueSource(strings = {"yes", "no"})
    void garbageInTheMiddleRefusesToStart(String loadTruncated, @TempDir Path dir) throws Exception {
        AofFile.Command middle = aof.commands().get(aof.commands().size() / 2);
        byte[] garbage = "this is not a command\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] damaged = new byte[original.length + garbage.length];
        System.arraycopy(original, 0, damaged, 0, (int) middle.start());
        System.arraycopy(garbage, 0, damaged, (int) middle.start(), garbage.length);
        System.arraycopy(original, (int) middle.start(), damaged, (int) middle.start() + garbage.length,
                original.length - (int) middle.start());
        Path file = fileWith(dir, damaged);
        try (ServerProcess s = ServerProcess.in(dir).appendonly("everysec").directive("aof-load-truncated", loadTruncated)
                .launch()) {
            assertThat(s.awaitExit(ServerProcess.READY_TIMEOUT)).as("exit status; log:\n%s", s.log()).isEqualTo(1);
            assertThat(s.log()).contains("Bad file format").doesNotContain("Ready to accept connections");
        }
        assertThat(Files.readAllBytes(file)).as("a refused start leaves the file alone").isEqualTo(damaged);
    }

    @Test
    void incompleteMultiAtTheEndIsReverted(@TempDir Path dir) throws Exception {
        List<byte[]> parts = new ArrayList<>(List.of(original, AofFile.resp("MULTI"), AofFile.resp("SET", "tx:key", "tx-value"),
                AofFile.resp("INCR", "counter:1"), AofFile.resp("SET", LAST_KEY, "overwritten-by-the-transaction")));
        java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) bos.write(p);
        Path file = fileWith(dir, bos.toByteArray());
        try (ServerProcess s = ServerProcess.in(dir).appendonly("everysec").start(); Jedis j = s.jedis()) {
            assertThat(s.log()).contains("Revert incomplete MULTI/EXEC transaction");
            assertThat(j.exists("tx:key")).as("a write of the unfinished transaction").isFalse();
            assertHolds(j, full, "after reverting the unfinished transaction");
            s.kill();
        }
        assertThat(Files.readAllBytes(file)).as("the file is cut back to before the MULTI").isEqualTo(original);
    }

    /** Keeps the offsets visible in reports: which offsets were tried and how long the last command is. */
    @Test
    void theCutsCoverBothEndsOfTheLastCommand() {
        List<Long> c = cuts().boxed().toList();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("last command bytes", aof.last().length());
        info.put("cuts", c.size());
        System.out.println("TruncatedAofIT " + info + " offsets " + c);
        assertThat(c).contains(aof.last().start() + 1, aof.last().end() - 1).isSorted().doesNotHaveDuplicates()
                .allMatch(o -> o > aof.last().start() && o < aof.last().end());
    }
}
