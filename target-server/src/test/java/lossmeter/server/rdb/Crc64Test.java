package lossmeter.server.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class Crc64Test {
    /** Bit by bit, straight from the definition: reflected Jones polynomial, init 0, no final xor. */
    static long reference(long crc, byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            crc ^= b[i] & 0xff;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x95ac9329ac4bc9b5L : crc >>> 1;
        }
        return crc;
    }

    @Test
    void checkValueOf123456789() {
        assertThat(Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xe9c6d914c4b8d9caL);
        assertThat(Crc64.POLY_REFLECTED).isEqualTo(0x95ac9329ac4bc9b5L);
    }

    @Test
    void emptyInputLeavesTheCrcAsItWas() {
        assertThat(Crc64.of(new byte[0])).isZero();
        assertThat(Crc64.update(0x1234L, new byte[5], 2, 0)).isEqualTo(0x1234L);
    }

    @Test
    void randomInputsMatchTheBitwiseReference() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int t = 0; t < 2000; t++) {
            byte[] b = new byte[rnd.nextInt(0, 300)];
            rnd.nextBytes(b);
            int off = b.length == 0 ? 0 : rnd.nextInt(b.length + 1);
            int len = rnd.nextInt(b.length - off + 1);
            long seed = rnd.nextInt(4) == 0 ? rnd.nextLong() : 0;
            assertThat(Crc64.update(seed, b, off, len)).as("trial %d, %d bytes at %d", t, len, off)
                    .isEqualTo(reference(seed, b, off, len));
        }
    }

    @Test
    void updatesInPiecesEqualOneUpdate() {
        SplittableRandom rnd = new SplittableRandom(7);
        byte[] b = new byte[100_003];
        rnd.nextBytes(b);
        long whole = Crc64.of(b);
        long pieces = 0;
        for (int i = 0; i < b.length; ) {
            int n = Math.min(b.length - i, rnd.nextInt(1, 5000));
            pieces = Crc64.update(pieces, b, i, n);
            i += n;
        }
        assertThat(pieces).isEqualTo(whole).isEqualTo(reference(0, b, 0, b.length));
    }
}
