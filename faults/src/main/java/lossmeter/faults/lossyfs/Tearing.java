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
     * probability 1/2, drawn in the order of durable path then sector; when that would keep every
     * sector, one drawn sector is dropped, so a torn write always tears what it can (keeping all of
     * it would be a plain process kill). A kept sector gets its live bytes.
     *
     * <p>Past a file's durable end, {@code ordered} (a filesystem that orders data before the size
     * that covers it, as ext4's default does) keeps only the sectors up to the first dropped one: an
     * append is torn to a prefix of sectors and never exposes a block that was not written.
     * Unordered, a kept sector past the durable end grows the file and the sectors skipped in
     * between read as zeros, as a filesystem that commits the size before the data can leave.
     */
    static Results.Torn sectors(Map<String, Inode> durableFilesByPath, int sectorSize, long seed, boolean ordered)
            throws IOException {
        record Sector(Inode inode, long index) {
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Sector> all = new ArrayList<>();
        List<Boolean> keep = new ArrayList<>();
        for (Inode inode : durableFilesByPath.values()) {
            if (inode.log.isEmpty()) continue;
            for (long sector : inode.log.dirtySectors(sectorSize)) {
                all.add(new Sector(inode, sector));
                keep.add(random.nextBoolean());
            }
        }
        if (!all.isEmpty() && !keep.contains(false)) keep.set(random.nextInt(all.size()), false);
        if (ordered) {
            // Sectors are in ascending order per file: after the first dropped one past the
            // durable end, nothing further of that file's append may survive.
            Inode file = null;
            long durableEnd = 0;
            boolean cut = false;
            for (int i = 0; i < all.size(); i++) {
                Sector sec = all.get(i);
                if (sec.inode() != file) {
                    file = sec.inode();
                    durableEnd = file.content.size();
                    cut = false;
                }
                if ((sec.index() + 1) * sectorSize <= durableEnd) continue;
                if (cut) keep.set(i, false);
                else if (!keep.get(i)) cut = true;
            }
        }
        // Every kept sector's live bytes are read before any is written, so kept sectors never
        // see each other's effect.
        byte[] buf = new byte[sectorSize];
        List<byte[]> bytes = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (!keep.get(i)) {
                bytes.add(null);
                continue;
            }
            int n = all.get(i).inode().readLive(all.get(i).index() * sectorSize, buf, sectorSize);
            bytes.add(Arrays.copyOf(buf, n));
        }
        long kept = 0;
        for (int i = 0; i < all.size(); i++) {
            byte[] b = bytes.get(i);
            if (b == null) continue;
            kept++;
            if (b.length > 0) all.get(i).inode().content.write(all.get(i).index() * sectorSize, b, 0, b.length);
        }
        return new Results.Torn(ordered ? "sectors" : "sectors-unordered", seed, kept, all.size(), null);
    }

    /**
     * A cut point is drawn uniformly in [0, total unsynced bytes) — or, with {@code tail > 0}, in
     * the last {@code tail} of them, so a crash aimed at a write can tear inside it and the writes
     * just before it; every unsynced change before the cut, across all files in the order they
     * happened, reaches the durable image, the write that straddles it up to the cut. The cut is
     * always short of the end, so something tears whenever anything was unsynced. Writes to files
     * without a durable name count but leave nothing.
     */
    static Results.Torn prefix(List<Inode> dirtyFiles, long seed, long tail) throws IOException {
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
        long from = tail > 0 ? Math.max(0, total - tail) : 0;
        long cut = total == 0 ? 0 : from + new SplittableRandom(seed).nextLong(total - from);
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
