package lossmeter.server.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lossmeter.server.keyspace.Database;
import lossmeter.server.keyspace.Key;
import lossmeter.server.keyspace.ListValue;
import lossmeter.server.log.Log;

class RdbRoundTripTest {
    @TempDir
    Path tmp;

    private Log log() throws Exception {
        return Log.toFile(tmp.resolve("test.log").toString());
    }

    private String logText() throws Exception {
        return Files.readString(tmp.resolve("test.log"));
    }

    private RdbLoader.Result load(byte[] rdb, Database[] into) throws Exception {
        return RdbLoader.load(RdbInput.of(rdb), into, log(), new RdbLoader.Options(true, false, 0, null, System::currentTimeMillis));
    }

    @Test
    void randomDatasetsComeBackExactly() throws Exception {
        for (long seed = 1; seed <= 25; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            Database[] dbs = Datasets.random(rnd, 16, rnd.nextInt(0, 300));
            boolean compression = seed % 3 != 0;
            boolean checksum = seed % 4 != 0;
            byte[] rdb = Datasets.write(dbs, compression, checksum);
            Database[] back = Datasets.empty(16);
            RdbLoader.Result r = load(rdb, back);
            Datasets.assertSame(back, dbs);
            assertThat(r.bytes()).isEqualTo(rdb.length);
            assertThat(r.version()).isEqualTo(10);
            long keys = 0;
            for (Database d : dbs) keys += d.size();
            assertThat(r.keysLoaded()).isEqualTo(keys);
            // Writing the loaded data again gives the same bytes, but for the ctime/used-mem AUX fields.
            assertThat(stripAux(Datasets.write(back, compression, checksum))).isEqualTo(stripAux(rdb));
        }
    }

    @Test
    void layoutIsRedis70s() throws Exception {
        Database[] dbs = Datasets.empty(16);
        dbs[0].put(Key.of("b"), "hello".getBytes(StandardCharsets.US_ASCII));
        dbs[2].put(Key.of("n"), "-123456".getBytes(StandardCharsets.US_ASCII));
        dbs[2].setExpire(Key.of("n"), 0x0102030405L);
        byte[] rdb = Datasets.write(dbs, true, true);
        String hex = HexFormat.of().formatHex(rdb);
        assertThat(new String(rdb, 0, 9, StandardCharsets.US_ASCII)).isEqualTo("REDIS0010");
        assertThat(hex).startsWith(HexFormat.of().formatHex("REDIS0010".getBytes(StandardCharsets.US_ASCII))
                + "fa" + "0972656469732d766572" + "05372e302e30" // redis-ver 7.0.0
                + "fa" + "0a72656469732d62697473" + "c040"); // redis-bits 64, integer-encoded
        assertThat(hex).contains("fa08616f662d62617365c000"); // aof-base 0
        // db 0: SELECTDB 0, RESIZEDB 1 0, string b = hello
        assertThat(hex).contains("fe00fb0100" + "000162" + "0568656c6c6f");
        // db 2: SELECTDB 2, RESIZEDB 1 1, expiry (8 bytes LE), string n = -123456 as a 32-bit integer
        assertThat(hex).contains("fe02fb0101" + "fc0504030201000000" + "00016e" + "c2c01dfeff");
        assertThat(rdb[rdb.length - 9]).isEqualTo((byte) 0xFF);
        long stored = Listpack.le(rdb, rdb.length - 8, 8);
        assertThat(stored).isEqualTo(Crc64.update(0, rdb, 0, rdb.length - 8));
    }

    @Test
    void listsAreQuicklist2WithListpackNodesAsRedisWritesThem() throws Exception {
        // From real redis-server 7.0.15: RPUSH l 1 2 x -5 300 70000 -70000 10000000000 ""
        Database[] dbs = Datasets.empty(1);
        ListValue l = new ListValue();
        for (String e : new String[]{"1", "2", "x", "-5", "300", "70000", "-70000", "10000000000", ""}) {
            l.addLast(e.getBytes(StandardCharsets.US_ASCII));
        }
        dbs[0].put(Key.of("l"), l);
        String hex = HexFormat.of().formatHex(Datasets.write(dbs, true, true));
        assertThat(hex).contains("12016c0102" + "2a" + "2a00000009000101020181780" + "2dffb02c12c02f270110104f290eefe04f400e40b5402000000"
                + "0980" + "01ff");
    }

    @Test
    void longListsWithBigElementsRoundTrip() throws Exception {
        Database[] dbs = Datasets.empty(1);
        ListValue l = new ListValue();
        for (int i = 0; i < 20_000; i++) l.addLast(("element-" + i).getBytes(StandardCharsets.US_ASCII));
        byte[] big = new byte[100_000];
        l.addLast(big);
        l.addLast("after".getBytes(StandardCharsets.US_ASCII));
        dbs[0].put(Key.of("l"), l);
        byte[] rdb = Datasets.write(dbs, false, true);
        Database[] back = Datasets.empty(1);
        load(rdb, back);
        Datasets.assertSame(back, dbs);
        // (RdbCompatIT checks the node cuts byte for byte against real Redis.)
        assertThat(new RdbParser(RdbInput.of(rdb), true).parse((key, value, at) -> { })).isEqualTo(rdb.length);
    }

    @Test
    void keysAlreadyExpiredAreSkippedUnlessKept() throws Exception {
        Database[] dbs = Datasets.empty(2);
        dbs[1].put(Key.of("old"), "x".getBytes(StandardCharsets.US_ASCII));
        dbs[1].setExpire(Key.of("old"), 1000);
        dbs[1].put(Key.of("new"), "y".getBytes(StandardCharsets.US_ASCII));
        dbs[1].setExpire(Key.of("new"), Datasets.FUTURE);
        byte[] rdb = Datasets.write(dbs, true, true);
        Database[] back = Datasets.empty(2);
        RdbLoader.Result r = load(rdb, back);
        assertThat(r.keysLoaded()).isEqualTo(1);
        assertThat(r.keysExpired()).isEqualTo(1);
        assertThat(back[1].get(Key.of("old"))).isNull();
        assertThat(back[1].expireAt(Key.of("new"))).isEqualTo(Datasets.FUTURE);
        assertThat(logText()).contains("Done loading RDB, keys loaded: 1, keys expired: 1.");

        Database[] kept = Datasets.empty(2);
        RdbLoader.load(RdbInput.of(rdb), kept, log(), new RdbLoader.Options(true, true, 0, null, System::currentTimeMillis));
        Datasets.assertSame(kept, dbs);
    }

    @Test
    void aFileWithoutChecksumLoadsWithAWarning() throws Exception {
        Database[] dbs = Datasets.random(new SplittableRandom(5), 4, 50);
        byte[] rdb = Datasets.write(dbs, true, false);
        assertThat(Listpack.le(rdb, rdb.length - 8, 8)).isZero();
        Database[] back = Datasets.empty(4);
        load(rdb, back);
        Datasets.assertSame(back, dbs);
        assertThat(logText()).contains("RDB file was saved with checksum disabled: no check performed.");
    }

    @Test
    void logsTheAuxFieldsAsRedisDoes() throws Exception {
        load(Datasets.write(Datasets.empty(1), true, true), Datasets.empty(1));
        assertThat(logText()).contains("Loading RDB produced by version 7.0.0").contains("RDB age 0 seconds")
                .contains("RDB memory usage when created").contains("Done loading RDB, keys loaded: 0, keys expired: 0.");
    }

    @Test
    void checkRdbAcceptsOurFiles() throws Exception {
        Database[] dbs = Datasets.random(new SplittableRandom(9), 16, 200);
        Path f = tmp.resolve("dump.rdb");
        Files.write(f, Datasets.write(dbs, true, true));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = RdbCheck.check(f, "dump.rdb", new PrintStream(out, true, StandardCharsets.UTF_8), System.currentTimeMillis());
        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(rc).as(report).isZero();
        long keys = 0, expires = 0;
        for (Database d : dbs) {
            keys += d.size();
            expires += d.expiresSize();
        }
        assertThat(report).startsWith("[offset 0] Checking RDB file dump.rdb\n[offset 26] AUX FIELD redis-ver = '7.0.0'\n")
                .contains("AUX FIELD redis-bits = '64'").contains("Selecting DB ID 0").contains("Checksum OK")
                .contains("[offset " + Files.size(f) + "] \\o/ RDB looks OK! \\o/")
                .endsWith("[info] " + keys + " keys read\n[info] " + expires + " expires\n[info] 0 already expired\n");
    }

    /** The file with the ctime and used-mem AUX values blanked, so two writes can be compared. */
    private static String stripAux(byte[] rdb) {
        String hex = HexFormat.of().formatHex(rdb, 0, rdb.length - 8);
        int c = hex.indexOf(HexFormat.of().formatHex("ctime".getBytes(StandardCharsets.US_ASCII)));
        int a = hex.indexOf(HexFormat.of().formatHex("aof-base".getBytes(StandardCharsets.US_ASCII)));
        return hex.substring(0, c) + hex.substring(a);
    }
}
