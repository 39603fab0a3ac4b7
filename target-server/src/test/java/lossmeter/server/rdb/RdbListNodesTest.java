package lossmeter.server.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.DataFormatException;

import org.junit.jupiter.api.Test;

/** Listpack (type-18 nodes) and ziplist (type-10 and type-14 nodes) coding, and every list type through the loader. */
class RdbListNodesTest {
    /** The listpack real redis-server 7.0.15 wrote for RPUSH l 1 2 x -5 300 70000 -70000 10000000000 "". */
    static final String REDIS_LISTPACK = "2a000000090001010201817802dffb02c12c02f270110104f290eefe04f400e40b54020000000980" + "01ff";
    static final String[] ELEMENTS = {"1", "2", "x", "-5", "300", "70000", "-70000", "10000000000", ""};

    static List<String> decode(byte[] lp) throws DataFormatException {
        List<String> out = new ArrayList<>();
        Listpack.decode(lp, e -> out.add(new String(e, StandardCharsets.ISO_8859_1)));
        return out;
    }

    @Test
    void encodesAsRedisAndDecodesBack() throws DataFormatException {
        Listpack.Builder b = new Listpack.Builder();
        for (String e : ELEMENTS) b.add(e.getBytes(StandardCharsets.US_ASCII));
        int n = b.finish();
        assertThat(HexFormat.of().formatHex(b.array(), 0, n)).isEqualTo(REDIS_LISTPACK);
        assertThat(decode(HexFormat.of().parseHex(REDIS_LISTPACK))).containsExactly(ELEMENTS);
    }

    @Test
    void everyEncodingRoundTrips() throws DataFormatException {
        SplittableRandom rnd = new SplittableRandom(11);
        List<byte[]> in = new ArrayList<>();
        for (long v : new long[]{0, 127, 128, -1, -4096, 4095, -4097, 4096, 32767, -32768, 32768, 8388607, -8388608, 8388608,
                Integer.MAX_VALUE, Integer.MIN_VALUE, 1L << 31, Long.MAX_VALUE, Long.MIN_VALUE}) {
            in.add(Long.toString(v).getBytes(StandardCharsets.US_ASCII));
        }
        for (String s : new String[]{"-0", "007", "+5", "9223372036854775808", "-9223372036854775809", " 1"}) {
            in.add(s.getBytes(StandardCharsets.US_ASCII));
        }
        for (int len : new int[]{0, 1, 63, 64, 4095, 4096, 70_000}) {
            byte[] e = new byte[len];
            rnd.nextBytes(e);
            in.add(e);
        }
        Listpack.Builder b = new Listpack.Builder();
        for (byte[] e : in) {
            int before = b.bytes();
            b.add(e);
            assertThat(b.bytes() - before).as("entry size of %d bytes", e.length).isEqualTo(Listpack.entrySize(e));
        }
        byte[] lp = Arrays.copyOf(b.array(), b.finish());
        List<byte[]> out = new ArrayList<>();
        Listpack.decode(lp, out::add);
        assertThat(out).hasSameSizeAs(in);
        for (int i = 0; i < in.size(); i++) assertThat(out.get(i)).as("element %d", i).isEqualTo(in.get(i));
    }

    @Test
    void rejectsWhatRedissDeepCheckRejects() {
        byte[] good = HexFormat.of().parseHex(REDIS_LISTPACK);
        assertBad(Arrays.copyOf(good, 6), "shorter than its header");
        byte[] size = good.clone();
        size[0]++;
        assertBad(size, "header says");
        byte[] end = good.clone();
        end[end.length - 1] = 0;
        assertBad(end, "terminator");
        byte[] count = good.clone();
        count[4] = 8;
        assertBad(count, "8 elements");
        byte[] backlen = good.clone();
        backlen[7] = 2; // backlen of the first entry
        assertBad(backlen, "backlen");
        byte[] enc = good.clone();
        enc[6] = (byte) 0xF7;
        assertBad(enc, "invalid encoding");
        byte[] longString = good.clone();
        longString[10] = (byte) 0xBF; // "x" claims 63 bytes
        assertBad(longString, "past the end");
    }

    @Test
    void randomBytesNeverEscapeAsAnythingElse() {
        SplittableRandom rnd = new SplittableRandom(12);
        byte[] good = HexFormat.of().parseHex(REDIS_LISTPACK);
        for (int t = 0; t < 20_000; t++) {
            byte[] b = good.clone();
            b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            try {
                Listpack.decode(b, e -> { });
                Ziplist.decode(b, e -> { });
            } catch (DataFormatException expected) {
                // the clear error
            }
        }
    }

    @Test
    void decodesZiplists() throws DataFormatException {
        // ziplist.c's own example: "2" and "5" as immediate integers
        List<String> out = new ArrayList<>();
        Ziplist.decode(HexFormat.of().parseHex("0f0000000c0000000200" + "00f3" + "02f6" + "ff"), e -> out.add(new String(e)));
        assertThat(out).containsExactly("2", "5");

        List<byte[]> in = new ArrayList<>();
        for (String s : new String[]{"hello", "", "-1", "300", "70000", "-8388608", "2147483648", "12", "13", "-129"}) {
            in.add(s.getBytes(StandardCharsets.US_ASCII));
        }
        byte[] big = new byte[20_000];
        new SplittableRandom(1).nextBytes(big);
        in.add(big);
        in.add(new byte[300]);
        List<byte[]> back = new ArrayList<>();
        Ziplist.decode(ziplist(in), back::add);
        assertThat(back).hasSameSizeAs(in);
        for (int i = 0; i < in.size(); i++) assertThat(back.get(i)).isEqualTo(in.get(i));

        byte[] bad = ziplist(in);
        bad[4]++; // tail offset no longer at the last entry
        assertThatThrownBy(() -> Ziplist.decode(bad, e -> { })).isInstanceOf(DataFormatException.class).hasMessageContaining("tail");
    }

    @Test
    void loadsEveryListType() throws Exception {
        List<byte[]> elements = new ArrayList<>();
        for (String s : new String[]{"a", "-1", "300", "", "hello world", "12"}) elements.add(s.getBytes(StandardCharsets.US_ASCII));
        String zl = hex(ziplist(elements));
        String zl2 = hex(ziplist(List.of("tail".getBytes(StandardCharsets.US_ASCII))));
        String lp = REDIS_LISTPACK;
        String key = "016c";
        String[] bodies = {
                "01" + key + "06" + "0161" + "c0ff" + "c12c01" + "00" + "0b68656c6c6f20776f726c64" + "c00c", // type 1
                "0a" + key + len(zl) + zl, // type 10: one ziplist
                "0e" + key + "02" + len(zl) + zl + len(zl2) + zl2, // type 14: quicklist of ziplists
                "12" + key + "03" + "02" + len(lp) + lp + "01" + "0474657374" + "02" + len(lp) + lp, // type 18: packed, plain, packed
        };
        List<List<String>> expected = List.of(
                List.of("a", "-1", "300", "", "hello world", "12"),
                List.of("a", "-1", "300", "", "hello world", "12"),
                List.of("a", "-1", "300", "", "hello world", "12", "tail"),
                concat(List.of(ELEMENTS), List.of("test"), List.of(ELEMENTS)));
        for (int i = 0; i < bodies.length; i++) {
            lossmeter.server.keyspace.Database[] dbs = Datasets.empty(1);
            RdbLoader.load(RdbInput.of(RdbCorruptionTest.file(bodies[i])), dbs, lossmeter.server.log.Log.toStdout(),
                    new RdbLoader.Options(true, false, 0, null, System::currentTimeMillis));
            var l = (lossmeter.server.keyspace.ListValue) dbs[0].get(lossmeter.server.keyspace.Key.of("l"));
            List<String> got = new ArrayList<>();
            for (int k = 0; k < l.size(); k++) got.add(new String(l.get(k), StandardCharsets.ISO_8859_1));
            assertThat(got).as("body %d", i).isEqualTo(expected.get(i));
        }
    }

    private static List<String> concat(List<String> a, List<String> b, List<String> c) {
        List<String> r = new ArrayList<>(a);
        r.addAll(b);
        r.addAll(c);
        return r;
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** An RDB length (6-bit or 14-bit) for a hex blob. */
    private static String len(String hexBlob) {
        int n = hexBlob.length() / 2;
        return n < 64 ? String.format("%02x", n) : String.format("%02x%02x", 0x40 | (n >>> 8), n & 0xFF);
    }

    /** A ziplist encoder for tests, after ziplist.c: integers in the smallest encoding, strings by length. */
    static byte[] ziplist(List<byte[]> elements) {
        java.io.ByteArrayOutputStream entries = new java.io.ByteArrayOutputStream();
        int prev = 0;
        int tail = 10;
        for (byte[] e : elements) {
            java.io.ByteArrayOutputStream x = new java.io.ByteArrayOutputStream();
            if (prev < 254) {
                x.write(prev);
            } else {
                x.write(0xFE);
                for (int i = 0; i < 4; i++) x.write(prev >>> (8 * i));
            }
            if (Decimal.isCanonical(e)) {
                long v = Decimal.parse(e);
                if (v >= 0 && v <= 12) {
                    x.write(0xF1 + (int) v);
                } else {
                    int n;
                    int enc;
                    if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
                        enc = 0xFE;
                        n = 1;
                    } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                        enc = 0xC0;
                        n = 2;
                    } else if (v >= -(1 << 23) && v < (1 << 23)) {
                        enc = 0xF0;
                        n = 3;
                    } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                        enc = 0xD0;
                        n = 4;
                    } else {
                        enc = 0xE0;
                        n = 8;
                    }
                    x.write(enc);
                    for (int i = 0; i < n; i++) x.write((int) (v >>> (8 * i)));
                }
            } else if (e.length < 64) {
                x.write(e.length);
                x.writeBytes(e);
            } else if (e.length < 16384) {
                x.write(0x40 | (e.length >>> 8));
                x.write(e.length & 0xFF);
                x.writeBytes(e);
            } else {
                x.write(0x80);
                for (int i = 3; i >= 0; i--) x.write(e.length >>> (8 * i));
                x.writeBytes(e);
            }
            tail = 10 + entries.size();
            prev = x.size();
            entries.writeBytes(x.toByteArray());
        }
        int total = 10 + entries.size() + 1;
        java.io.ByteArrayOutputStream zl = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 4; i++) zl.write(total >>> (8 * i));
        for (int i = 0; i < 4; i++) zl.write(tail >>> (8 * i));
        zl.write(elements.size());
        zl.write(elements.size() >>> 8);
        zl.writeBytes(entries.toByteArray());
        zl.write(0xFF);
        return zl.toByteArray();
    }

    private static void assertBad(byte[] lp, String why) {
        assertThatThrownBy(() -> Listpack.decode(lp, e -> { })).isInstanceOf(DataFormatException.class).hasMessageContaining(why);
    }
}
