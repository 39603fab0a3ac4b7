package lossmeter.server.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lossmeter.server.it.RealRedis;
import lossmeter.server.it.ServerProcess;
import lossmeter.server.keyspace.Database;
import lossmeter.server.log.Log;
import lossmeter.testsupport.Requirements;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Our dump.rdb and real Redis 7.0's, read by each other's tools: redis-check-rdb accepts ours, a
 * real redis-server loads ours, our server loads one written by real redis-server (quicklists,
 * LZF strings, integers, expiries, several databases) — every key, type, value (as bytes) and
 * TTL of every database compared — and, one key per database, our writer reproduces Redis's
 * bytes for the same values.
 */
@Tag("integration")
class RdbCompatIT {
    private static final int DATABASES = 16;
    private static final long TTL_TOLERANCE_MS = 1000;
    private static final long FAR_MS = 30L * 24 * 3600 * 1000;

    @BeforeEach
    void needRedis() {
        Requirements.requireCommand("redis-server");
        Requirements.requireCommand("redis-check-rdb");
    }

    /** Strings (binary, integers, long compressible), lists short and long, expiries, databases 0, 1, 7 and 15. */
    static void workload(Jedis j, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long far = System.currentTimeMillis() + FAR_MS;
        int[] dbs = {0, 1, 7, 15};
        for (int i = 0; i < 1200; i++) {
            j.select(dbs[rnd.nextInt(4) == 0 ? rnd.nextInt(4) : 0]);
            byte[] key = ("k" + i).getBytes(StandardCharsets.US_ASCII);
            if (rnd.nextInt(10) == 0) {
                key = new byte[rnd.nextInt(1, 30)];
                rnd.nextBytes(key);
                key = Datasets.concat(key, ("#" + i).getBytes(StandardCharsets.US_ASCII));
            }
            switch (rnd.nextInt(10)) {
                case 0, 1, 2 -> j.set(key, Datasets.string(rnd));
                case 3 -> j.incrBy(key, rnd.nextLong(-1L << 40, 1L << 40));
                case 4 -> j.set(key, ("compressible " + "abcd".repeat(rnd.nextInt(10, 3000))).getBytes(StandardCharsets.US_ASCII));
                case 5, 6 -> {
                    int n = rnd.nextInt(1, 20);
                    for (int e = 0; e < n; e++) j.rpush(key, Datasets.string(rnd));
                }
                case 7 -> {
                    byte[][] batch = new byte[rnd.nextInt(500, 4000)][];
                    for (int e = 0; e < batch.length; e++) {
                        batch[e] = rnd.nextInt(3) == 0 ? Long.toString(rnd.nextLong(-100_000, 100_000)).getBytes(StandardCharsets.US_ASCII)
                                : ("element-" + e + "-" + "x".repeat(rnd.nextInt(60))).getBytes(StandardCharsets.US_ASCII);
                    }
                    j.rpush(key, batch);
                    if (rnd.nextBoolean()) j.lpush(key, "head".getBytes(StandardCharsets.US_ASCII), new byte[20_000]);
                }
                case 8 -> j.lpush(key, Datasets.string(rnd), Datasets.string(rnd), Datasets.string(rnd));
                default -> j.set(key, ("value-" + i).getBytes(StandardCharsets.US_ASCII));
            }
            if (rnd.nextInt(5) == 0) j.pexpireAt(key, far + rnd.nextInt(1_000_000));
        }
        j.select(0);
    }

    @Test
    void redisToolsAcceptOurDumpAndRealRedisLoadsTheSameDataset(@TempDir Path ours, @TempDir Path theirs) throws Exception {
        Snapshot expected;
        try (ServerProcess s = ServerProcess.in(ours).directive("save", "").start(); Jedis j = s.jedis()) {
            workload(j, 1);
            expected = Snapshot.read(j);
            assertThat(j.save()).isEqualTo("OK");
            assertThat(s.log()).contains("DB saved on disk");
            assertThat(s.stop()).isZero();
        }
        assertThat(expected.dbs().keySet()).containsExactly(0, 1, 7, 15);
        Path dump = ours.resolve("dump.rdb");
        assertThat(Files.list(ours).map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("temp-"));

        String report = run(List.of("redis-check-rdb", dump.toString()), 0);
        assertThat(report).contains("Checksum OK").contains("\\o/ RDB looks OK! \\o/").contains("[info] " + expected.size() + " keys read");
        assertThat(checkRdb(dump)).contains("\\o/ RDB looks OK! \\o/").contains("[info] " + expected.size() + " keys read");

        Files.copy(dump, theirs.resolve("dump.rdb"));
        try (RealRedis r = RealRedis.in(theirs).start(); Jedis j = r.jedis()) {
            assertThat(r.log()).contains("Loading RDB produced by version 7.0.0").contains("DB loaded from disk");
            Snapshot.read(j).assertSameAs(expected, "real redis-server after loading our dump.rdb");
        }

        // and our own server loads it back at startup
        try (ServerProcess s = ServerProcess.in(ours).directive("save", "").start(); Jedis j = s.jedis()) {
            assertThat(s.log()).contains("Done loading RDB, keys loaded: " + expected.size()).contains("DB loaded from disk:");
            Snapshot.read(j).assertSameAs(expected, "our server after a restart");
        }
    }

    @Test
    void ourServerLoadsADumpWrittenByRealRedis(@TempDir Path theirs, @TempDir Path ours) throws Exception {
        Snapshot expected;
        try (RealRedis r = RealRedis.in(theirs).start(); Jedis j = r.jedis()) {
            workload(j, 2);
            expected = Snapshot.read(j);
            assertThat(j.save()).isEqualTo("OK");
            String longList = expected.dbs().get(0).entrySet().stream().filter(e -> e.getValue().value().size() > 1000)
                    .map(Map.Entry::getKey).findFirst().orElseThrow();
            assertThat(new String(j.objectEncoding(HexFormat.of().parseHex(longList)), StandardCharsets.US_ASCII))
                    .as("a long list is a quicklist of several nodes").isEqualTo("quicklist");
        }
        Path dump = theirs.resolve("dump.rdb");
        assertThat(checkRdb(dump)).contains("AUX FIELD redis-ver = '7.0.15'").contains("\\o/ RDB looks OK! \\o/");

        Files.copy(dump, ours.resolve("dump.rdb"));
        try (ServerProcess s = ServerProcess.in(ours).directive("save", "").start(); Jedis j = s.jedis()) {
            assertThat(s.log()).contains("Loading RDB produced by version 7.0.15")
                    .contains("Done loading RDB, keys loaded: " + expected.size() + ", keys expired: 0.").contains("DB loaded from disk:");
            Snapshot.read(j).assertSameAs(expected, "our server after loading real Redis's dump.rdb");
        }
    }

    /**
     * One key per database, so that both files hold the entries in the same order: after the AUX
     * fields, our writer's bytes equal real Redis's for the same values (listpack node cuts,
     * integer encodings, LZF output).
     */
    @Test
    void ourEncodingIsByteIdenticalToRedis(@TempDir Path theirs) throws Exception {
        SplittableRandom rnd = new SplittableRandom(3);
        try (RealRedis r = RealRedis.in(theirs).start(); Jedis j = r.jedis()) {
            j.select(0);
            byte[][] batch = new byte[6000][];
            for (int e = 0; e < batch.length; e++) {
                batch[e] = switch (e % 5) {
                    case 0 -> Long.toString(rnd.nextLong()).getBytes(StandardCharsets.US_ASCII);
                    case 1 -> Long.toString(rnd.nextLong(-5000, 5000)).getBytes(StandardCharsets.US_ASCII);
                    case 2 -> new byte[e % 300 == 2 ? 9000 : rnd.nextInt(0, 100)];
                    default -> ("element " + e + " " + "y".repeat(rnd.nextInt(0, 200))).getBytes(StandardCharsets.US_ASCII);
                };
            }
            j.rpush("list".getBytes(StandardCharsets.US_ASCII), batch);
            j.select(1);
            j.set("compressible", "lorem ipsum dolor ".repeat(400));
            j.select(2);
            j.set("int", "-123456");
            j.select(3);
            j.rpush("short", "1", "2", "x", "-5", "300", "70000", "-70000", "10000000000", "");
            j.pexpireAt("short", System.currentTimeMillis() + FAR_MS);
            j.select(4);
            j.set("incompressible", HexFormat.of().formatHex(new byte[]{1, 2, 3}).repeat(1) + "qwertyuiopasdfghjkl");
            j.select(0);
            assertThat(j.save()).isEqualTo("OK");
        }
        byte[] redis = Files.readAllBytes(theirs.resolve("dump.rdb"));
        Database[] dbs = Datasets.empty(DATABASES);
        RdbLoader.load(theirs.resolve("dump.rdb"), dbs, Log.toStdout(),
                new RdbLoader.Options(true, false, 0, null, System::currentTimeMillis));
        byte[] mine = Datasets.write(dbs, true, true);
        assertThat(HexFormat.of().formatHex(afterAux(mine))).isEqualTo(HexFormat.of().formatHex(afterAux(redis)));
    }

    @Test
    void aCorruptDumpStopsOurServerWithStatus1(@TempDir Path dir) throws Exception {
        Database[] dbs = Datasets.random(new SplittableRandom(4), DATABASES, 50);
        byte[] good = Datasets.write(dbs, true, true);
        byte[] badSum = good.clone();
        badSum[badSum.length - 1] ^= 1;
        byte[] badVersion = good.clone();
        badVersion[8] = '1';
        badVersion[7] = '1';
        Map<String, byte[]> cases = Map.of("Short read or OOM loading DB. Unrecoverable error, aborting now.", Arrays.copyOf(good, good.length / 2),
                "Wrong RDB checksum expected: (", badSum,
                "Can't handle RDB format version 11", badVersion);
        for (var c : cases.entrySet()) {
            Path d = Files.createTempDirectory(dir, "case");
            Files.write(d.resolve("dump.rdb"), c.getValue());
            Files.writeString(d.resolve("temp-4242.rdb"), "left by a killed save");
            try (ServerProcess s = ServerProcess.in(d).directive("save", "").launch()) {
                assertThat(s.awaitExit(Duration.ofSeconds(30))).as(c.getKey()).isEqualTo(1);
                assertThat(s.log()).contains(c.getKey()).doesNotContain("Ready to accept connections");
            }
            assertThat(Files.exists(d.resolve("temp-4242.rdb"))).as("leftover temp file removed at start").isFalse();
            assertThat(Files.readAllBytes(d.resolve("dump.rdb"))).as("the refused dump is left as it was").isEqualTo(c.getValue());
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** The bytes from the first SELECTDB to the EOF opcode (the AUX fields and checksum differ by nature). */
    private static byte[] afterAux(byte[] rdb) throws Exception {
        long[] firstSelect = {-1};
        RdbParser p = new RdbParser(RdbInput.of(rdb), true);
        p.parse(new RdbVisitor() {
            @Override
            public void selectDb(long id, long offset) {
                if (firstSelect[0] < 0) firstSelect[0] = offset - 2; // opcode + one-byte id
            }

            @Override
            public void entry(byte[] key, Object value, long expireAtMillis) {
            }
        });
        return Arrays.copyOfRange(rdb, (int) firstSelect[0], rdb.length - 8);
    }

    private static String checkRdb(Path file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = RdbCheck.main(new String[]{file.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(rc).as("our check-rdb:\n%s", report).isZero();
        return report;
    }

    /** Runs a tool to completion through its own handle; asserts its exit status. */
    private static String run(List<String> cmd, int expectedStatus) throws IOException {
        Path out = Files.createTempFile("rdb-it", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            await("command " + cmd).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> !p.isAlive());
            String output = Files.readString(out);
            assertThat(p.exitValue()).as("%s:\n%s", cmd, output).isEqualTo(expectedStatus);
            return output;
        } finally {
            if (p.isAlive()) p.destroyForcibly();
            Files.deleteIfExists(out);
        }
    }

    /** Every key of every database as bytes: type, value (bytes or list of bytes, as hex) and expiry in unix ms. */
    record Snapshot(Map<Integer, Map<String, Entry>> dbs) {
        record Entry(String type, List<String> value, long expireAt) {
        }

        static Snapshot read(Jedis j) {
            Map<Integer, Map<String, Entry>> all = new TreeMap<>();
            HexFormat hex = HexFormat.of();
            for (int db = 0; db < DATABASES; db++) {
                j.select(db);
                Map<String, Entry> keys = new TreeMap<>();
                byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
                do {
                    ScanResult<byte[]> r = j.scan(cursor, new ScanParams().count(500));
                    for (byte[] k : r.getResult()) {
                        String type = j.type(k);
                        List<String> value = new ArrayList<>();
                        switch (type) {
                            case "string" -> value.add(hex.formatHex(j.get(k)));
                            case "list" -> j.lrange(k, 0, -1).forEach(e -> value.add(hex.formatHex(e)));
                            default -> throw new AssertionError("unexpected type " + type);
                        }
                        long pttl = j.pttl(k);
                        keys.put(hex.formatHex(k), new Entry(type, value, pttl >= 0 ? System.currentTimeMillis() + pttl : pttl));
                    }
                    cursor = r.getCursorAsBytes();
                } while (!Arrays.equals(cursor, ScanParams.SCAN_POINTER_START_BINARY));
                if (!keys.isEmpty()) all.put(db, keys);
            }
            j.select(0);
            return new Snapshot(all);
        }

        int size() {
            return dbs.values().stream().mapToInt(Map::size).sum();
        }

        void assertSameAs(Snapshot expected, String what) {
            assertThat(dbs.keySet()).as("%s: non-empty databases", what).isEqualTo(expected.dbs.keySet());
            for (var e : expected.dbs.entrySet()) {
                Map<String, Entry> mine = dbs.get(e.getKey());
                assertThat(mine.keySet()).as("%s: keys of db %d", what, e.getKey()).isEqualTo(e.getValue().keySet());
                for (var k : e.getValue().entrySet()) {
                    Entry want = k.getValue();
                    Entry got = mine.get(k.getKey());
                    String where = what + ": db " + e.getKey() + " key " + k.getKey();
                    assertThat(got.type()).as("%s type", where).isEqualTo(want.type());
                    assertThat(got.value()).as("%s value", where).isEqualTo(want.value());
                    if (want.expireAt() < 0) assertThat(got.expireAt()).as("%s ttl", where).isEqualTo(want.expireAt());
                    else assertThat(got.expireAt()).as("%s expiry", where).isCloseTo(want.expireAt(),
                            org.assertj.core.data.Offset.offset(TTL_TOLERANCE_MS));
                }
            }
        }
    }
}
