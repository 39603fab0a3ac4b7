package lossmeter.server.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import lossmeter.server.keyspace.Database;
import lossmeter.server.keyspace.Key;
import lossmeter.server.keyspace.ListValue;

/** Random datasets for RDB tests, their encoding to bytes, and an exact comparison. */
public final class Datasets {
    static final long FUTURE = System.currentTimeMillis() + 30L * 24 * 3600 * 1000;

    private Datasets() {
    }

    public static Database[] empty(int n) {
        Database[] dbs = new Database[n];
        for (int i = 0; i < n; i++) dbs[i] = new Database(i);
        return dbs;
    }

    /**
     * Strings (binary, canonical and near-canonical integers, short, long, compressible), lists
     * (short, long enough for several quicklist nodes, with integers and big elements), expiries in
     * the future, spread over some of the databases.
     */
    public static Database[] random(SplittableRandom rnd, int databases, int keys) {
        return random(rnd, databases, keys, false);
    }

    /** {@code small}: short strings and lists only, a file of a few KiB (for fuzzing). */
    static Database[] random(SplittableRandom rnd, int databases, int keys, boolean small) {
        Database[] dbs = empty(databases);
        for (int i = 0; i < keys; i++) {
            Database db = dbs[rnd.nextInt(4) == 0 ? rnd.nextInt(databases) : 0];
            Key k = Key.of(key(rnd, i));
            Object v = rnd.nextInt(3) == 0 ? list(rnd, small) : string(rnd);
            if (small && v instanceof byte[] b && b.length > 300) v = java.util.Arrays.copyOf(b, 300);
            db.put(k, v);
            if (rnd.nextInt(4) == 0) db.setExpire(k, FUTURE + rnd.nextInt(1_000_000));
        }
        return dbs;
    }

    static byte[] key(SplittableRandom rnd, int i) {
        return switch (rnd.nextInt(5)) {
            case 0 -> Long.toString(rnd.nextLong(-100_000, 100_000) * 1000 + i).getBytes(StandardCharsets.US_ASCII); // integer-looking key
            case 1 -> {
                byte[] b = new byte[rnd.nextInt(1, 40)];
                rnd.nextBytes(b);
                b[0] = (byte) i; // binary, kept distinct by the suffix below
                yield concat(b, ("#" + i).getBytes(StandardCharsets.US_ASCII));
            }
            case 2 -> ("long-key-" + "k".repeat(rnd.nextInt(10, 100)) + i).getBytes(StandardCharsets.US_ASCII);
            default -> ("key:" + i).getBytes(StandardCharsets.US_ASCII);
        };
    }

    static byte[] string(SplittableRandom rnd) {
        return switch (rnd.nextInt(12)) {
            case 0 -> Long.toString(rnd.nextLong(-200, 200)).getBytes(StandardCharsets.US_ASCII);
            case 1 -> Long.toString(rnd.nextLong(-70_000, 70_000)).getBytes(StandardCharsets.US_ASCII);
            case 2 -> Long.toString(rnd.nextLong()).getBytes(StandardCharsets.US_ASCII);
            case 3 -> pick(rnd, "0", "-0", "007", "+1", " 1", "1 ", "12345678901", "-2147483648", "2147483648", "4294967296",
                    "-9223372036854775808", "9223372036854775807", "9223372036854775808", "", "-", "1e5", "0x10");
            case 4 -> new byte[0];
            case 5, 6 -> {
                byte[] b = new byte[rnd.nextInt(1, 200)];
                rnd.nextBytes(b);
                yield b;
            }
            case 7 -> ("text " + "abc".repeat(rnd.nextInt(1, 3000))).getBytes(StandardCharsets.US_ASCII); // compressible
            case 8 -> {
                byte[] b = new byte[rnd.nextInt(20, 23)]; // around the 20-byte LZF threshold
                java.util.Arrays.fill(b, (byte) 'z');
                yield b;
            }
            case 9 -> {
                boolean big = rnd.nextInt(10) == 0;
                byte[] b = new byte[big ? rnd.nextInt(9000, 40_000) : rnd.nextInt(64, 5000)];
                rnd.nextBytes(b);
                yield b;
            }
            default -> ("value-" + rnd.nextInt(1000)).getBytes(StandardCharsets.UTF_8);
        };
    }

    static ListValue list(SplittableRandom rnd, boolean small) {
        ListValue l = new ListValue();
        int n = small ? rnd.nextInt(1, 40) : switch (rnd.nextInt(4)) {
            case 0 -> rnd.nextInt(1, 5);
            case 1 -> rnd.nextInt(5, 200);
            case 2 -> rnd.nextInt(1000, 6000); // several 8 KiB nodes
            default -> rnd.nextInt(1, 30);
        };
        for (int i = 0; i < n; i++) {
            byte[] e = switch (rnd.nextInt(n > 100 ? 2000 : 20) + (small ? 1 : 0)) {
                case 0 -> bigElement(rnd);
                case 1, 2, 3 -> Long.toString(rnd.nextLong(-100_000, 100_000)).getBytes(StandardCharsets.US_ASCII);
                case 4 -> Long.toString(rnd.nextLong()).getBytes(StandardCharsets.US_ASCII);
                case 5 -> new byte[0];
                case 6 -> pick(rnd, "0", "-0", "007", "+1", "127", "128", "-4096", "-4097", "4095", "4096", "32767", "-32769");
                case 7 -> {
                    byte[] b = new byte[rnd.nextInt(1, 100)];
                    rnd.nextBytes(b);
                    yield b;
                }
                default -> ("element-" + i + "-" + "x".repeat(rnd.nextInt(0, 70))).getBytes(StandardCharsets.US_ASCII);
            };
            if (rnd.nextBoolean()) l.addLast(e);
            else l.addFirst(e);
        }
        return l;
    }

    private static byte[] bigElement(SplittableRandom rnd) {
        byte[] b = new byte[rnd.nextInt(8000, 20_000)];
        rnd.nextBytes(b);
        return b;
    }

    private static byte[] pick(SplittableRandom rnd, String... options) {
        return options[rnd.nextInt(options.length)].getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    static byte[] write(Database[] dbs, boolean compression, boolean checksum) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try {
            long n = RdbWriter.write(dbs, Channels.newChannel(bos), new RdbWriter.Options(compression, checksum, 0), false);
            assertThat(n).isEqualTo(bos.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    private static List<String> keysOnlyIn(Database a, Database b) {
        List<String> out = new ArrayList<>();
        a.forEach((k, v) -> {
            if (b.get(k) == null) out.add(new String(k.bytes(), StandardCharsets.ISO_8859_1));
        });
        return out;
    }

    /** Same databases, keys, values and expiries, byte for byte. */
    public static void assertSame(Database[] actual, Database[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            int db = i;
            Database want = expected[i];
            Database got = actual[i];
            if (got.size() != want.size()) {
                assertThat(got.size()).as("keys in db %d (missing %s, unexpected %s)", i, keysOnlyIn(want, got), keysOnlyIn(got, want))
                        .isEqualTo(want.size());
            }
            assertThat(got.expiresSize()).as("expiries in db %d", i).isEqualTo(want.expiresSize());
            want.forEach((k, v) -> {
                Object g = got.get(k);
                String where = "db " + db + " key " + HexFormat.of().formatHex(k.bytes());
                assertThat(g).as(where).isNotNull();
                if (v instanceof byte[] s) {
                    assertThat(g).as(where).isInstanceOf(byte[].class);
                    assertThat((byte[]) g).as(where).isEqualTo(s);
                } else {
                    ListValue wl = (ListValue) v;
                    assertThat(g).as(where).isInstanceOf(ListValue.class);
                    ListValue gl = (ListValue) g;
                    assertThat(gl.size()).as(where + " length").isEqualTo(wl.size());
                    for (int e = 0; e < wl.size(); e++) assertThat(gl.get(e)).as(where + " element " + e).isEqualTo(wl.get(e));
                }
                assertThat(got.expireAt(k)).as(where + " expiry").isEqualTo(want.expireAt(k));
            });
        }
    }
}
