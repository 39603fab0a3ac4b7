package lossmeter.server.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.zip.DataFormatException;

import org.junit.jupiter.api.Test;

class LzfTest {
    private final Lzf lzf = new Lzf();

    private byte[] compress(byte[] in, int room) {
        byte[] out = new byte[room];
        int n = lzf.compress(in, 0, in.length, out, 0, room);
        return n == 0 ? null : Arrays.copyOf(out, n);
    }

    @Test
    void compressesAsLiblzfDoesInRedis() throws DataFormatException {
        // Real redis-server 7.0.15 saved SET big <100 x 'a'> as c3 09 40 64 | 01 61 61 e0 57 00 01 61 61.
        byte[] in = "a".repeat(100).getBytes(StandardCharsets.US_ASCII);
        byte[] c = compress(in, in.length - 4);
        assertThat(HexFormat.of().formatHex(c)).isEqualTo("016161e05700016161");
        assertThat(Lzf.decompress(c, 0, c.length, 100)).isEqualTo(in);
    }

    @Test
    void roundTripsRandomAndCompressibleData() throws DataFormatException {
        SplittableRandom rnd = new SplittableRandom(1);
        for (int t = 0; t < 3000; t++) {
            byte[] in = sample(rnd, rnd.nextInt(1, t < 2500 ? 400 : 70_000));
            byte[] c = compress(in, in.length + in.length / 16 + 64); // room enough for incompressible data
            assertThat(c).as("trial %d: %d bytes always fit with room for expansion", t, in.length).isNotNull();
            assertThat(Lzf.decompress(c, 0, c.length, in.length)).as("trial %d", t).isEqualTo(in);
        }
    }

    @Test
    void givesUpWhenTheOutputDoesNotFitTheRoom() throws DataFormatException {
        SplittableRandom rnd = new SplittableRandom(2);
        byte[] noise = new byte[1000];
        rnd.nextBytes(noise);
        assertThat(compress(noise, noise.length - 4)).isNull();
        for (int t = 0; t < 2000; t++) {
            byte[] in = sample(rnd, rnd.nextInt(1, 300));
            int room = rnd.nextInt(1, in.length + 40);
            byte[] out = new byte[room]; // exactly the room: writing beyond it would throw
            int n = lzf.compress(in, 0, in.length, out, 0, room);
            if (n > 0) assertThat(Lzf.decompress(out, 0, n, in.length)).isEqualTo(in);
        }
    }

    @Test
    void respectsOffsets() throws DataFormatException {
        byte[] in = "xxxxhello hello hello hello hello hello!yyyy".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[100];
        Arrays.fill(out, (byte) 0x55);
        int n = lzf.compress(in, 4, in.length - 8, out, 10, 60);
        assertThat(n).isPositive();
        assertThat(out[9]).isEqualTo((byte) 0x55);
        assertThat(out[10 + n]).isEqualTo((byte) 0x55);
        assertThat(new String(Lzf.decompress(out, 10, n, in.length - 8), StandardCharsets.US_ASCII))
                .isEqualTo("hello hello hello hello hello hello!");
    }

    @Test
    void rejectsMalformedInputClearly() {
        // literal run of 3 bytes with only 2 present
        assertThatThrownBy(() -> Lzf.decompress(new byte[]{2, 'a', 'b'}, 0, 3, 3)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("past the end of the input");
        // back reference before the start of the output
        assertThatThrownBy(() -> Lzf.decompress(new byte[]{0, 'a', 0x20, 5}, 0, 4, 4)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("before the start");
        // back reference cut short
        assertThatThrownBy(() -> Lzf.decompress(new byte[]{0, 'a', 0x20}, 0, 3, 4)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("cut short");
        assertThatThrownBy(() -> Lzf.decompress(new byte[]{0, 'a', (byte) 0xE0}, 0, 3, 4)).isInstanceOf(DataFormatException.class);
        // more or less output than announced
        assertThatThrownBy(() -> Lzf.decompress(new byte[]{1, 'a', 'b'}, 0, 3, 1)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("past the expected");
        assertThatThrownBy(() -> Lzf.decompress(new byte[]{1, 'a', 'b'}, 0, 3, 5)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("expected 5");
    }

    @Test
    void randomGarbageNeverEscapesAsAnythingButDataFormatException() {
        SplittableRandom rnd = new SplittableRandom(3);
        int rejected = 0;
        for (int t = 0; t < 20_000; t++) {
            byte[] in = new byte[rnd.nextInt(0, 64)];
            rnd.nextBytes(in);
            int want = rnd.nextInt(0, t % 100 == 0 ? 1 << 30 : 200);
            try {
                byte[] out = Lzf.decompress(in, 0, in.length, want);
                assertThat(out).hasSize(want);
            } catch (DataFormatException e) {
                rejected++;
            } catch (RuntimeException e) {
                fail("trial " + t + ": " + HexFormat.of().formatHex(in) + " -> " + e, e);
            }
        }
        assertThat(rejected).isPositive();
    }

    @Test
    void flippedBytesOfRealStreamsAreRejectedOrDecodeToTheAnnouncedLength() throws DataFormatException {
        SplittableRandom rnd = new SplittableRandom(4);
        for (int t = 0; t < 3000; t++) {
            byte[] in = sample(rnd, rnd.nextInt(21, 600));
            byte[] c = compress(in, in.length + 64);
            c[rnd.nextInt(c.length)] ^= (byte) (1 << rnd.nextInt(8));
            try {
                assertThat(Lzf.decompress(c, 0, c.length, in.length)).hasSize(in.length);
            } catch (DataFormatException expected) {
                // the clear error
            }
        }
    }

    /** Data with repeats (text-like, runs, copies of earlier parts) or plain noise. */
    static byte[] sample(SplittableRandom rnd, int n) {
        byte[] b = new byte[n];
        switch (rnd.nextInt(4)) {
            case 0 -> rnd.nextBytes(b);
            case 1 -> Arrays.fill(b, (byte) rnd.nextInt(256));
            case 2 -> {
                for (int i = 0; i < n; i++) b[i] = (byte) ('a' + rnd.nextInt(4));
            }
            default -> {
                for (int i = 0; i < n; ) {
                    if (i > 8 && rnd.nextBoolean()) {
                        int from = rnd.nextInt(Math.max(1, i - 9000), i);
                        int len = Math.min(n - i, rnd.nextInt(3, 300));
                        for (int k = 0; k < len; k++) b[i + k] = b[from + k];
                        i += len;
                    } else {
                        b[i++] = (byte) rnd.nextInt(256);
                    }
                }
            }
        }
        return b;
    }
}
