package lossmeter.faults.lossyfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both torn modes are reproducible from the seed and only ever produce states a disk allows. */
class TearingTest {
    private static final int SECTOR = 512;
    private static final int OLD = 3 * SECTOR;

    @TempDir
    Path tmp;

    /** A file of OLD bytes of 'o' (durable), then 4 unsynced sectors of 'n' appended in two writes and one overwrite. */
    private long tail;

    private byte[] tearOnce(String mode, long seed, String dirName) throws IOException, FsException {
        Path dir = Files.createDirectories(tmp.resolve(dirName));
        byte[] old = new byte[OLD];
        Arrays.fill(old, (byte) 'o');
        Files.write(dir.resolve("aof"), old);
        LossyModel m = new LossyModel(dir, MetadataMode.STRICT, SECTOR);
        long fh = m.open("/aof", false);
        byte[] n = new byte[2 * SECTOR];
        Arrays.fill(n, (byte) 'n');
        m.write(fh, OLD, ByteBuffer.wrap(n), n.length);
        byte[] w = new byte[100];
        Arrays.fill(w, (byte) 'w');
        m.write(fh, 10, ByteBuffer.wrap(w), w.length);
        m.write(fh, OLD + n.length, ByteBuffer.wrap(n), n.length);
        Results.Torn torn = switch (mode) {
            case "sectors" -> m.tornSectors(seed);
            case "sectors-unordered" -> m.tornSectors(seed, false);
            default -> m.tornPrefix(seed, tail);
        };
        assertThat(torn.kept()).as("a torn write never keeps everything").isLessThan(torn.total());
        assertThat(torn.kept()).isBetween(0L, torn.total());
        assertThat(m.report().total()).isZero();
        return Files.readAllBytes(dir.resolve("aof"));
    }

    @Test
    void sameSeedSameBytes() throws Exception {
        for (String mode : new String[] {"sectors", "prefix"}) {
            assertThat(tearOnce(mode, 42, mode + "-a")).isEqualTo(tearOnce(mode, 42, mode + "-b"));
        }
    }

    @Test
    void sectorTearingKeepsWholeSectorsOrZeros() throws Exception {
        Set<String> outcomes = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            byte[] got = tearOnce("sectors", seed, "s" + seed);
            // Sector 0 is either untouched or has the overwrite; every appended sector is all
            // 'n' when kept, all zeros when skipped below a kept one, absent past the last kept.
            assertThat(got.length % SECTOR).isZero();
            StringBuilder shape = new StringBuilder();
            for (int s = 0; s < got.length / SECTOR; s++) {
                byte[] sector = Arrays.copyOfRange(got, s * SECTOR, (s + 1) * SECTOR);
                Set<Byte> kinds = new HashSet<>();
                for (int i = s == 0 ? 110 : 0; i < SECTOR; i++) kinds.add(sector[i]);
                assertThat(kinds).hasSize(1);
                byte kind = kinds.iterator().next();
                shape.append(kind == 0 ? '0' : (char) kind);
            }
            outcomes.add(shape.toString());
        }
        assertThat(outcomes).hasSizeGreaterThan(3);
    }

    @Test
    void prefixTearingKeepsAByteExactPrefixInWriteOrder() throws Exception {
        byte[] full = new byte[OLD + 4 * SECTOR];
        Arrays.fill(full, 0, OLD, (byte) 'o');
        Arrays.fill(full, OLD, full.length, (byte) 'n');
        for (long seed = 0; seed < 20; seed++) {
            byte[] got = tearOnce("prefix", seed, "p" + seed);
            assertThat(got.length).isBetween(OLD, full.length);
            if (got.length < OLD + 2 * SECTOR) {
                // Cut inside the first append: the overwrite (written after it) is absent.
                assertThat(got[10]).isEqualTo((byte) 'o');
            }
            for (int i = OLD; i < got.length; i++) assertThat(got[i]).isEqualTo((byte) 'n');
        }
    }

    @Test
    void orderedSectorsNeverExposeAnUnwrittenSectorOfAnAppend() throws Exception {
        Set<String> unordered = new HashSet<>();
        for (long seed = 0; seed < 30; seed++) {
            byte[] got = tearOnce("sectors", seed, "o" + seed);
            for (int i = OLD; i < got.length; i++) assertThat(got[i]).as("seed %d byte %d", seed, i).isEqualTo((byte) 'n');
            byte[] loose = tearOnce("sectors-unordered", seed, "u" + seed);
            for (int i = OLD; i < loose.length; i++) if (loose[i] == 0) unordered.add("zeros");
        }
        assertThat(unordered).as("the unordered model can expose zeros inside an append").contains("zeros");
    }

    @Test
    void prefixWithATailCutsInsideTheLastBytes() throws Exception {
        tail = 300;
        for (long seed = 0; seed < 20; seed++) {
            byte[] got = tearOnce("prefix", seed, "t" + seed);
            // The last write appended 2 sectors at OLD + 2 sectors; the cut falls in its last 300 bytes.
            assertThat(got.length).isBetween(OLD + 4 * SECTOR - 300, OLD + 4 * SECTOR - 1);
        }
        tail = 0;
    }
}
