package lossmeter.faults.lossyfs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The two torn power losses: part of the unsynced data reaches the durable image before the rest
 * is dropped. Both are pure functions of the unsynced state and the seed, so a seed replays the
 * same tear. Only data tears; metadata changes are dropped whole, as the journal either committed
 * them or not.
 */
final class Tearing {
    private Tearing() {
    }

    /**
     * Each sector (aligned to the file offset) that an unsynced write touched is kept with
     * probability 1/2, drawn in the order of durable path then sector. A kept sector gets its live
     * bytes; one past the durable end grows the file, and the sectors skipped in between read as
     * zeros, as after a crash of a filesystem that updated the size but not every block.
     */
    static Results.Torn sectors(Map<String, Inode> durableFilesByPath, int sectorSize, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        long kept = 0;
        long total = 0;
        byte[] buf = new byte[sectorSize];
        for (Inode inode : durableFilesByPath.values()) {
            if (inode.log.isEmpty()) continue;
            // The live view is read before any sector of this file is written, so kept sectors
            // never see each other's effect.
            List<Long> keep = new ArrayList<>();
            for (long sector : inode.log.dirtySectors(sectorSize)) {
                total++;
                if (random.nextBoolean()) keep.add(sector);
            }
            List<byte[]> bytes = new ArrayList<>();
            for (long sector : keep) {
                int n = inode.readLive(sector * sectorSize, buf, sectorSize);
                bytes.add(Arrays.copyOf(buf, n));
            }
            for (int i = 0; i < keep.size(); i++) {
                byte[] b = bytes.get(i);
                if (b.length > 0) inode.content.write(keep.get(i) * sectorSize, b, 0, b.length);
            }
            kept += keep.size();
        }
        return new Results.Torn("sectors", seed, kept, total, null);
    }

    /**
     * A cut point is drawn uniformly in [0, total unsynced bytes]; every unsynced change before it,
     * across all files in the order they happened, reaches the durable image, the write that
     * straddles it up to the cut. Writes to files without a durable name count but leave nothing.
     */
    static Results.Torn prefix(List<Inode> dirtyFiles, long seed) throws IOException {
        record Change(Inode inode, DirtyLog.Entry entry) {
        }
        List<Change> changes = new ArrayList<>();
        long total = 0;
        for (Inode inode : dirtyFiles) {
            for (DirtyLog.Entry e : inode.log.entries()) {
                changes.add(new Change(inode, e));
                if (e instanceof DirtyLog.Write w) total += w.length();
            }
        }
        changes.sort(Comparator.comparingLong(c -> c.entry().seq()));
        long cut = new SplittableRandom(seed).nextLong(total + 1);
        long left = cut;
        for (Change c : changes) {
            if (left == 0 && cut < total) break;
            if (c.inode().durablePath == null) {
                if (c.entry() instanceof DirtyLog.Write w) left -= Math.min(w.length(), left);
                continue;
            }
            left -= DirtyLog.apply(c.entry(), c.inode().content, left);
        }
        return new Results.Torn("prefix", seed, cut, total, null);
    }
}
