package lossmeter.faults;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Damages a data file in place, with the mode chosen by the seed: a zeroed block (64 B–4 KiB, as a
 * lost sector leaves), or one flipped bit. In an RDB (checksummed) any byte may flip; in a RESP
 * log the flip hits a framing byte ({@code *} or {@code $} at a line start), since RESP carries no
 * checksum and a flip inside a value is undetectable by any server — damage a correct server must
 * notice is the point of this fault.
 */
final class CorruptFault extends MediaFault {
    static final int MIN_BLOCK = 64;
    static final int MAX_BLOCK = 4096;

    @Override
    public String name() {
        return "corrupt";
    }

    @Override
    String damage(FaultContext trial, Path file) {
        byte[] bytes = trial.node().files().read(file);
        String what = corrupt(bytes, trial.random());
        trial.node().files().write(file, bytes);
        return file.getFileName() + ": " + what;
    }

    /** Damages {@code bytes} in place and describes the damage. */
    static String corrupt(byte[] bytes, SplittableRandom random) {
        if (random.nextBoolean()) {
            int len = (int) Math.min(bytes.length, MIN_BLOCK + random.nextInt(MAX_BLOCK - MIN_BLOCK + 1));
            int at = bytes.length == len ? 0 : random.nextInt(bytes.length - len + 1);
            Arrays.fill(bytes, at, at + len, (byte) 0);
            return "zeroed " + len + " bytes at offset " + at + " of " + bytes.length;
        }
        List<Integer> candidates = isRdb(bytes) ? null : framingBytes(bytes);
        int at = candidates == null || candidates.isEmpty() ? random.nextInt(bytes.length)
                : candidates.get(random.nextInt(candidates.size()));
        int bit = random.nextInt(8);
        byte before = bytes[at];
        bytes[at] ^= (byte) (1 << bit);
        return "flipped bit " + bit + " of the byte at offset " + at + " of " + bytes.length
                + String.format(" (0x%02x → 0x%02x)", before & 0xff, bytes[at] & 0xff);
    }

    static boolean isRdb(byte[] bytes) {
        return bytes.length >= 5 && new String(bytes, 0, 5, StandardCharsets.US_ASCII).equals("REDIS");
    }

    /** Offsets of {@code *} and {@code $} that start a line: the bytes RESP framing hangs on. */
    static List<Integer> framingBytes(byte[] bytes) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < bytes.length; i++) {
            if ((bytes[i] == '*' || bytes[i] == '$') && (i == 0 || bytes[i - 1] == '\n')) out.add(i);
        }
        return out;
    }
}
