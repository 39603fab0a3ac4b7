package lossmeter.faults.lossyfs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.cryptomator.jfuse.api.FileModes;

/**
 * The names of lossyfs: the live view the mount shows, the durable image (exactly what the backing
 * directory holds), and the pending changes that lead from one to the other. Applying a pending
 * change performs it on the backing directory; dropping them makes the live view the durable one
 * again. Not thread-safe: the model's lock guards it.
 */
final class Namespace {
    static final int RENAME_NOREPLACE = 1;
    static final int RENAME_EXCHANGE = 2;

    private final Path root;
    private final TreeMap<String, Inode> live = new TreeMap<>();
    private final TreeMap<String, Inode> durable = new TreeMap<>();
    private final ArrayList<MetaOp> pending = new ArrayList<>();
    private long nextId = 1;

    /** Takes the backing directory's current contents as the durable (and live) state. */
    Namespace(Path root) throws IOException {
        this.root = root;
        Inode top = new Inode(nextId++, true, mode(root), null);
        put("/", top);
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (p.equals(root)) continue;
                String path = "/" + root.relativize(p).toString();
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    put(path, new Inode(nextId++, true, mode(p), null));
                } else if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Inode file = new Inode(nextId++, false, mode(p), new BackingContent(p));
                    file.liveSize = file.content.size();
                    put(path, file);
                } // Other kinds (symlinks, sockets) are not served: lossyfs models data files.
            }
        }
    }

    private void put(String path, Inode inode) {
        inode.livePath = path;
        inode.durablePath = path;
        live.put(path, inode);
        durable.put(path, inode);
    }

    Inode find(String path) {
        return live.get(path);
    }

    Inode lookup(String path) throws FsException {
        Inode inode = live.get(path);
        if (inode == null) throw new FsException(FsException.ENOENT, path);
        return inode;
    }

    /** The names directly inside {@code dir} in the live view. */
    List<String> children(String dir) {
        String prefix = dir.equals("/") ? "/" : dir + "/";
        List<String> names = new ArrayList<>();
        for (String path : live.subMap(prefix, true, prefix + Character.MAX_VALUE, false).keySet()) {
            if (path.length() > prefix.length() && path.indexOf('/', prefix.length()) < 0) names.add(path.substring(prefix.length()));
        }
        return names;
    }

    Inode create(String path, int mode) throws FsException {
        requireNew(path);
        Inode inode = new Inode(nextId++, false, mode, new MemoryContent());
        inode.livePath = path;
        live.put(path, inode);
        pending.add(new MetaOp.Create(path, inode));
        return inode;
    }

    Inode mkdir(String path, int mode) throws FsException {
        requireNew(path);
        Inode inode = new Inode(nextId++, true, mode, null);
        inode.livePath = path;
        live.put(path, inode);
        pending.add(new MetaOp.Mkdir(path, inode));
        return inode;
    }

    Inode unlink(String path) throws FsException {
        Inode inode = lookup(path);
        if (inode.directory) throw new FsException(FsException.EISDIR, path);
        live.remove(path);
        inode.livePath = null;
        pending.add(new MetaOp.Unlink(path));
        return inode;
    }

    void rmdir(String path) throws FsException {
        Inode inode = lookup(path);
        if (!inode.directory) throw new FsException(FsException.ENOTDIR, path);
        if (path.equals("/")) throw new FsException(FsException.EINVAL, path);
        if (!children(path).isEmpty()) throw new FsException(FsException.ENOTEMPTY, path);
        live.remove(path);
        inode.livePath = null;
        pending.add(new MetaOp.Rmdir(path));
    }

    void rename(String from, String to, int flags) throws FsException {
        if ((flags & RENAME_EXCHANGE) != 0) throw new FsException(FsException.EINVAL, "RENAME_EXCHANGE is not supported");
        Inode src = lookup(from);
        if (from.equals(to)) return;
        if (src.directory && Paths.within(to, from)) throw new FsException(FsException.EINVAL, to);
        requireDirectory(Paths.parent(to));
        Inode dst = live.get(to);
        if (dst != null) {
            if ((flags & RENAME_NOREPLACE) != 0) throw new FsException(FsException.EEXIST, to);
            if (src.directory && !dst.directory) throw new FsException(FsException.ENOTDIR, to);
            if (!src.directory && dst.directory) throw new FsException(FsException.EISDIR, to);
            if (dst.directory && !children(to).isEmpty()) throw new FsException(FsException.ENOTEMPTY, to);
            live.remove(to);
            dst.livePath = null;
        }
        move(live, from, to, true);
        pending.add(new MetaOp.Rename(from, to));
    }

    void recordTruncate(Inode inode, long size) {
        if (inode.livePath != null) pending.add(new MetaOp.Truncate(inode.livePath, inode, size));
    }

    void recordChmod(Inode inode, int mode) {
        if (inode.livePath != null) pending.add(new MetaOp.Chmod(inode.livePath, inode, mode));
    }

    int pendingCount() {
        return pending.size();
    }

    /** Strict model: a directory fsync makes its changes durable, with every earlier change. */
    int applyFor(String dir) throws IOException {
        int last = -1;
        for (int i = 0; i < pending.size(); i++) {
            if (pending.get(i).dirs().contains(dir)) last = i;
        }
        return applyFirst(last + 1);
    }

    int applyAll() throws IOException {
        return applyFirst(pending.size());
    }

    /**
     * The file itself was synced: its size is durable (pending truncates are done), and with
     * {@code attributes} (fsync, not fdatasync) its mode too.
     */
    void persistedInode(Inode inode, boolean attributes) throws IOException {
        for (Iterator<MetaOp> it = pending.iterator(); it.hasNext(); ) {
            MetaOp op = it.next();
            if (op instanceof MetaOp.Truncate t && t.inode() == inode) it.remove();
            if (attributes && op instanceof MetaOp.Chmod c && c.inode() == inode) it.remove();
        }
        if (attributes && inode.durableMode != inode.mode) {
            inode.durableMode = inode.mode;
            if (inode.durablePath != null) setMode(Paths.resolve(root, inode.durablePath), inode.mode);
        }
    }

    /** Power loss: every pending change is forgotten and the live names become the durable ones. */
    int dropPending() {
        int dropped = pending.size();
        pending.clear();
        for (Inode inode : live.values()) inode.livePath = null;
        live.clear();
        for (Map.Entry<String, Inode> e : durable.entrySet()) {
            live.put(e.getKey(), e.getValue());
            e.getValue().livePath = e.getKey();
            e.getValue().mode = e.getValue().durableMode;
        }
        return dropped;
    }

    /** Every file that has a durable name, by that name. */
    Map<String, Inode> durableFiles() {
        TreeMap<String, Inode> files = new TreeMap<>();
        durable.forEach((p, i) -> {
            if (!i.directory) files.put(p, i);
        });
        return files;
    }

    private int applyFirst(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            // Removed before it is done: a change whose backing operation failed is not retried
            // against a half-changed backing directory.
            apply(pending.removeFirst());
        }
        return count;
    }

    private void apply(MetaOp op) throws IOException {
        switch (op) {
            case MetaOp.Create c -> {
                Path p = Paths.resolve(root, c.path());
                try (FileChannel ignored = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    // Only creates the file; the synced bytes are copied below.
                }
                setMode(p, c.inode().durableMode);
                Content backing = new BackingContent(p);
                Content memory = c.inode().content;
                byte[] all = memory.toMemory().toArray();
                backing.write(0, all, 0, all.length);
                memory.close();
                c.inode().content = backing;
                c.inode().durablePath = c.path();
                durable.put(c.path(), c.inode());
            }
            case MetaOp.Mkdir m -> {
                Path p = Paths.resolve(root, m.path());
                Files.createDirectory(p);
                setMode(p, m.inode().durableMode);
                m.inode().durablePath = m.path();
                durable.put(m.path(), m.inode());
            }
            case MetaOp.Unlink u -> {
                Inode inode = durable.remove(u.path());
                if (inode != null) forget(inode);
                Files.deleteIfExists(Paths.resolve(root, u.path()));
            }
            case MetaOp.Rmdir r -> {
                Inode inode = durable.remove(r.path());
                if (inode != null) inode.durablePath = null;
                Files.delete(Paths.resolve(root, r.path()));
            }
            case MetaOp.Rename r -> {
                Inode dst = durable.get(r.to());
                if (dst != null && dst != durable.get(r.from())) {
                    durable.remove(r.to());
                    forget(dst);
                }
                Files.move(Paths.resolve(root, r.from()), Paths.resolve(root, r.to()),
                        StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                move(durable, r.from(), r.to(), false);
            }
            case MetaOp.Truncate t -> t.inode().content.setSize(t.size());
            case MetaOp.Chmod c -> {
                c.inode().durableMode = c.mode();
                if (c.inode().durablePath != null) setMode(Paths.resolve(root, c.inode().durablePath), c.mode());
            }
        }
    }

    /** An inode loses its durable name; if something still uses it, its synced bytes move to memory. */
    private static void forget(Inode inode) throws IOException {
        inode.durablePath = null;
        if (inode.directory) return;
        Content old = inode.content;
        inode.content = inode.inUse() ? old.toMemory() : new MemoryContent();
        old.close();
    }

    private static void move(TreeMap<String, Inode> names, String from, String to, boolean livePaths) {
        List<Map.Entry<String, Inode>> moved = new ArrayList<>();
        String prefix = from + "/";
        Inode top = names.remove(from);
        if (top != null) moved.add(Map.entry(to, top));
        for (Iterator<Map.Entry<String, Inode>> it = names.subMap(prefix, true, prefix + Character.MAX_VALUE, false)
                .entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Inode> e = it.next();
            moved.add(Map.entry(to + e.getKey().substring(from.length()), e.getValue()));
            it.remove();
        }
        for (Map.Entry<String, Inode> e : moved) {
            names.put(e.getKey(), e.getValue());
            if (livePaths) e.getValue().livePath = e.getKey();
            else e.getValue().durablePath = e.getKey();
        }
    }

    private void requireNew(String path) throws FsException {
        if (live.containsKey(path)) throw new FsException(FsException.EEXIST, path);
        requireDirectory(Paths.parent(path));
    }

    private void requireDirectory(String path) throws FsException {
        Inode dir = lookup(path);
        if (!dir.directory) throw new FsException(FsException.ENOTDIR, path);
    }

    private static int mode(Path p) throws IOException {
        return FileModes.fromPermissions(Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    private static void setMode(Path p, int mode) throws IOException {
        Files.setPosixFilePermissions(p, FileModes.toPermissions(mode & 0777));
    }
}
