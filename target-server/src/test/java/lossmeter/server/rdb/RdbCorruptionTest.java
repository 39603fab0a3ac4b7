package lossmeter.server.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import lossmeter.server.keyspace.Database;
import lossmeter.server.keyspace.Key;
import lossmeter.server.keyspace.ListValue;
import lossmeter.server.log.Log;
import lossmeter.server.rdb.RdbException.Kind;

class RdbCorruptionTest {
    @TempDir
    Path tmp;

    private Log log;

    private RdbLoader.Result load(byte[] rdb) throws Exception {
        return load(rdb, true);
    }

    private RdbLoader.Result load(byte[] rdb, boolean verify) throws Exception {
        if (log == null) log = Log.toFile(tmp.resolve("test.log").toString());
        return RdbLoader.load(RdbInput.of(rdb), Datasets.empty(16), log,
                new RdbLoader.Options(verify, false, 0, null, System::currentTimeMillis));
    }

    private RdbException refusal(byte[] rdb) {
        try {
            load(rdb);
        } catch (RdbException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected an RdbException, got " + e, e);
        }
        throw new AssertionError("the file was accepted");
    }

    private static byte[] sample() {
        Database[] dbs = Datasets.empty(16);
        dbs[0].put(Key.of("s"), "hello".getBytes(StandardCharsets.US_ASCII));
        dbs[0].put(Key.of("n"), "12345".getBytes(StandardCharsets.US_ASCII));
        dbs[3].put(Key.of("long"), "abcabcabc".repeat(20).getBytes(StandardCharsets.US_ASCII));
        ListValue l = new ListValue();
        for (int i = 0; i < 50; i++) l.addLast(("e" + i).getBytes(StandardCharsets.US_ASCII));
        dbs[3].put(Key.of("list"), l);
        dbs[3].setExpire(Key.of("list"), Datasets.FUTURE);
        return Datasets.write(dbs, true, true);
    }

    @Test
    void everyTruncationIsAShortRead() {
        byte[] rdb = sample();
        for (int n = 0; n < rdb.length; n++) {
            RdbException e = refusal(Arrays.copyOf(rdb, n));
            assertThat(e.kind()).as("cut at %d of %d: %s", n, rdb.length, e.reason()).isEqualTo(Kind.SHORT_READ);
            assertThat(e.reason()).isEqualTo("Unexpected EOF reading RDB file");
            assertThat(e.offset()).isLessThanOrEqualTo(n);
        }
    }

    @Test
    void aWrongChecksumIsRefusedWithBothValues() throws Exception {
        byte[] rdb = sample();
        long good = Listpack.le(rdb, rdb.length - 8, 8);
        rdb[rdb.length - 3] ^= 0x40;
        RdbException e = refusal(rdb);
        assertThat(e.kind()).isEqualTo(Kind.CHECKSUM);
        assertThat(e.reason()).isEqualTo("RDB CRC error");
        assertThat(e.expectedChecksum()).isEqualTo(good);
        assertThat(e.storedChecksum()).isEqualTo(Listpack.le(rdb, rdb.length - 8, 8));
        // rdbchecksum no: not verified, as in Redis
        assertThat(load(rdb, false).keysLoaded()).isEqualTo(4);

        byte[] body = sample();
        body[22] ^= 1; // inside the redis-ver value "7.0.0": still well-formed, the CRC catches it
        assertThat(refusal(body).kind()).isEqualTo(Kind.CHECKSUM);
    }

    @Test
    void signatureAndVersionAreChecked() {
        byte[] rdb = sample();
        byte[] sig = rdb.clone();
        sig[3] = 'X';
        assertThat(refusal(sig)).extracting(RdbException::kind, RdbException::reason)
                .containsExactly(Kind.SIGNATURE, "Wrong signature trying to load DB from file");
        for (String v : new String[]{"0011", "0012", "0000", "abcd", "9999"}) {
            byte[] b = rdb.clone();
            System.arraycopy(v.getBytes(StandardCharsets.US_ASCII), 0, b, 5, 4);
            int n = v.equals("abcd") ? 0 : Integer.parseInt(v);
            assertThat(refusal(b)).extracting(RdbException::kind, RdbException::reason)
                    .containsExactly(Kind.VERSION, "Can't handle RDB format version " + n);
        }
    }

    @Test
    void olderVersionsLoad() throws Exception {
        byte[] rdb = sample();
        for (String v : new String[]{"0009", "0007"}) {
            byte[] b = rdb.clone();
            System.arraycopy(v.getBytes(StandardCharsets.US_ASCII), 0, b, 5, 4);
            b = fixChecksum(b);
            assertThat(load(b).version()).isEqualTo(Integer.parseInt(v));
        }
    }

    @Test
    void hugeLengthsAreRefusedWithoutAllocating() {
        // string of 2^62 bytes, list of 2^32-1 elements, LZF claiming 2 GB from 3 bytes
        String[] bodies = {"0003" + "6b6579" + "81" + "4000000000000000",
                "0103" + "6b6579" + "80ffffffff",
                "0003" + "6b6579" + "c3" + "03" + "80" + "7ffffff0" + "016161",
                "1203" + "6b6579" + "80ffffffff",
                "1203" + "6b6579" + "01" + "02" + "80" + "7fffffff"};
        for (String body : bodies) {
            RdbException e = refusal(file(body));
            assertThat(e.kind()).as(body).isIn(Kind.SHORT_READ, Kind.CORRUPT);
        }
    }

    @Test
    void unsupportedTypesAreNamedWithTheirKey() {
        RdbException e = refusal(file("02" + "05" + HexFormat.of().formatHex("myset".getBytes(StandardCharsets.US_ASCII)) + "0101" + "61"));
        assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED);
        assertThat(e.reason()).startsWith("unsupported type 2 (set-hashtable) for key 'myset'");
        assertThat(e.key()).isEqualTo("myset");
        assertThat(refusal(file("f5" + "0161")).kind()).isEqualTo(Kind.UNSUPPORTED); // FUNCTION2
        assertThat(refusal(file("f7" + "0000")).reason()).contains("AUX module data");
        RdbException invalid = refusal(file("64" + "0161"));
        assertThat(invalid.kind()).isEqualTo(Kind.CORRUPT);
        assertThat(invalid.reason()).isEqualTo("Invalid object type: 100");
    }

    @Test
    void corruptNodesAreRefusedAsIntegrityFailures() {
        // quicklist 2, one packed node whose listpack header lies about its size
        String lp = "0a000000" + "0100" + "0101" + "ff"; // says 10 bytes, has 9
        RdbException e = refusal(file("12" + "016b" + "01" + "02" + "09" + lp));
        assertThat(e.kind()).isEqualTo(Kind.CORRUPT);
        assertThat(e.reason()).startsWith("Listpack integrity check failed.");
        assertThat(refusal(file("12" + "016b" + "01" + "03" + "01" + "61")).reason()).startsWith("Quicklist integrity check failed.");
        assertThat(refusal(file("00" + "016b" + "c3" + "02" + "05" + "2000")).reason()).startsWith("Invalid LZF compressed string");
        assertThat(refusal(file("00" + "016b" + "c4")).reason()).isEqualTo("Unknown RDB string encoding type 4");
        assertThat(refusal(file("00" + "016b" + "82")).reason()).isEqualTo("Unknown length encoding 2 in rdbLoadLen()");
    }

    @Test
    void tooManyDatabasesAndDuplicatesAreRefused() {
        RdbException e = refusal(file("fe" + "10" + "00" + "0161" + "0162"));
        assertThat(e.reason()).contains("more than 16 databases");
        RdbException dup = refusal(file("00" + "0161" + "0162" + "00" + "0161" + "0163"));
        assertThat(dup.reason()).isEqualTo("RDB has duplicated key 'a' in DB 0");
    }

    @Test
    void emptyListsAreSkippedAsRedisDoes() throws Exception {
        RdbLoader.Result r = load(file("01" + "0165" + "00" + "00" + "0161" + "0162"));
        assertThat(r.keysLoaded()).isEqualTo(1);
        assertThat(r.emptyKeysSkipped()).isEqualTo(1);
        assertThat(Files.readString(tmp.resolve("test.log"))).contains("rdbLoadObject skipping empty key: e")
                .contains("empty keys skipped: 1.");
    }

    @Test
    @Timeout(120)
    void seededByteFlipsNeverEscapeAsAnythingButRdbException() {
        SplittableRandom rnd = new SplittableRandom(20260101);
        byte[][] bases = {sample(), Datasets.write(Datasets.random(new SplittableRandom(3), 16, 40, true), true, true),
                Datasets.write(Datasets.random(new SplittableRandom(4), 16, 30, true), false, false)};
        int refused = 0, accepted = 0;
        for (int t = 0; t < 20_000; t++) {
            byte[] b = bases[t % bases.length].clone();
            int flips = 1 + rnd.nextInt(4);
            for (int f = 0; f < flips; f++) {
                int at = rnd.nextInt(b.length);
                switch (rnd.nextInt(3)) {
                    case 0 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
                    case 1 -> b[at] = (byte) rnd.nextInt(256);
                    default -> b[at] = (byte) (rnd.nextBoolean() ? 0xFF : 0x80 | rnd.nextInt(4));
                }
            }
            if (t % 3 == 0) b = fixChecksum(b); // let the structure checks, not the CRC, catch it
            if (t % 7 == 0) b = Arrays.copyOf(b, rnd.nextInt(b.length + 1));
            long start = System.nanoTime();
            try {
                load(b, t % 2 == 0);
                accepted++;
            } catch (RdbException e) {
                refused++;
                assertThat(e.reason()).isNotBlank();
            } catch (Throwable e) {
                fail("trial " + t + ": " + e, e);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("trial %d", t).isLessThan(Duration.ofSeconds(5));
        }
        assertThat(refused).isPositive();
        assertThat(accepted).isPositive();
    }

    @Test
    void checkRdbReportsErrorsAsRedisCheckRdbDoes() throws Exception {
        byte[] rdb = sample();
        Path f = tmp.resolve("cut.rdb");
        Files.write(f, Arrays.copyOf(rdb, rdb.length - 20));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = RdbCheck.check(f, "cut.rdb", new java.io.PrintStream(out, true, StandardCharsets.UTF_8), System.currentTimeMillis());
        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(rc).isEqualTo(1);
        assertThat(report).startsWith("[offset 0] Checking RDB file cut.rdb\n").contains("--- RDB ERROR DETECTED ---")
                .contains("] Unexpected EOF reading RDB file\n[additional info] While doing: read-object-value\n")
                .containsPattern("\\[additional info] Reading key '(s|n|long|list)'\n\\[additional info] Reading type (0 \\(string\\)|18 \\(quicklist-v2\\))\n")
                .contains("[info] 4 keys read");

        rdb[rdb.length - 1] ^= 1;
        Files.write(f, rdb);
        out.reset();
        assertThat(RdbCheck.check(f, "x", new java.io.PrintStream(out, true, StandardCharsets.UTF_8), 0)).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("[offset " + rdb.length + "] RDB CRC error\n[additional info] While doing: check-sum");

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(RdbCheck.main(new String[0], new java.io.PrintStream(out), new java.io.PrintStream(err))).isEqualTo(2);
        assertThat(RdbCheck.main(new String[]{"a", "b"}, new java.io.PrintStream(out), new java.io.PrintStream(err))).isEqualTo(2);
        assertThat(RdbCheck.main(new String[]{tmp.resolve("missing.rdb").toString()}, new java.io.PrintStream(out),
                new java.io.PrintStream(err))).isEqualTo(1);
    }

    /** A version-10 file: header, the given hex body (opcodes and entries), EOF, a correct checksum. */
    static byte[] file(String bodyHex) {
        byte[] body = HexFormat.of().parseHex(HexFormat.of().formatHex("REDIS0010".getBytes(StandardCharsets.US_ASCII)) + bodyHex + "ff");
        return fixChecksum(Arrays.copyOf(body, body.length + 8));
    }

    /** Rewrites the last 8 bytes as the CRC of everything before them. */
    static byte[] fixChecksum(byte[] b) {
        if (b.length < 8) return b;
        long crc = Crc64.update(0, b, 0, b.length - 8);
        for (int i = 0; i < 8; i++) b[b.length - 8 + i] = (byte) (crc >>> (8 * i));
        return b;
    }
}
