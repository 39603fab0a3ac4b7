package lossmeter.faults.lossyfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;

import org.cryptomator.jfuse.api.DirFiller;
import org.cryptomator.jfuse.api.Errno;
import org.cryptomator.jfuse.api.FileInfo;
import org.cryptomator.jfuse.api.FuseOperations;
import org.cryptomator.jfuse.api.Stat;
import org.cryptomator.jfuse.api.Statvfs;
import org.cryptomator.jfuse.api.TimeSpec;

/**
 * The FUSE face of {@link LossyModel}: translates jfuse callbacks into model calls and model
 * failures into negative errno values. Nothing here may throw into native code: an unexpected
 * exception is logged and answered with EIO.
 */
final class LossyFuse implements FuseOperations {
    private static final int BLOCK = 4096;

    private final LossyModel model;
    /** Null when lossyfs runs without crash points ({@code --no-triggers}). */
    private final Triggers triggers;
    private final Errno errno;
    private final FileStore store;
    private final int uid;
    private final int gid;

    LossyFuse(LossyModel model, Triggers triggers, Errno errno, Path backing) throws IOException {
        this.model = model;
        this.triggers = triggers;
        this.errno = errno;
        this.store = Files.getFileStore(backing);
        this.uid = (Integer) Files.getAttribute(backing, "unix:uid");
        this.gid = (Integer) Files.getAttribute(backing, "unix:gid");
    }

    @Override
    public Errno errno() {
        return errno;
    }

    @Override
    public Set<Operation> supportedOperations() {
        return EnumSet.of(Operation.GET_ATTR, Operation.READ_DIR, Operation.OPEN_DIR, Operation.RELEASE_DIR,
                Operation.FSYNCDIR, Operation.OPEN, Operation.CREATE, Operation.READ, Operation.WRITE, Operation.FLUSH,
                Operation.RELEASE, Operation.FSYNC, Operation.TRUNCATE, Operation.MKDIR, Operation.RMDIR, Operation.UNLINK,
                Operation.RENAME, Operation.CHMOD, Operation.CHOWN, Operation.UTIMENS, Operation.STATFS, Operation.ACCESS);
    }

    @Override
    public int getattr(String path, Stat stat, FileInfo fi) {
        return call(() -> {
            Attrs a = fi != null ? model.getattr(fi.getFh()) : model.getattr(path);
            stat.setMode((a.directory() ? Stat.S_IFDIR : Stat.S_IFREG) | a.mode());
            stat.setSize(a.size());
            stat.setNLink((short) (a.directory() ? 2 : 1));
            stat.setUid(uid);
            stat.setGid(gid);
            stat.aTime().set(a.atime());
            stat.mTime().set(a.mtime());
            stat.cTime().set(a.ctime());
            return 0;
        });
    }

    @Override
    public int readdir(String path, DirFiller filler, long offset, FileInfo fi, int flags) {
        return call(() -> {
            filler.fill(".");
            filler.fill("..");
            for (String name : model.readdir(path)) filler.fill(name);
            return 0;
        });
    }

    @Override
    public int opendir(String path, FileInfo fi) {
        return call(() -> model.getattr(path).directory() ? 0 : -FsException.ENOTDIR);
    }

    @Override
    public int releasedir(String path, FileInfo fi) {
        return 0;
    }

    @Override
    public int fsyncdir(String path, int datasync, FileInfo fi) {
        return io(IoOp.FSYNCDIR, path, null, -1, -1, () -> {
            model.fsyncDir(path);
            return 0;
        });
    }

    @Override
    public int open(String path, FileInfo fi) {
        return call(() -> {
            fi.setFh(model.open(path, fi.getOpenFlags().contains(StandardOpenOption.TRUNCATE_EXISTING)));
            return 0;
        });
    }

    @Override
    public int create(String path, int mode, FileInfo fi) {
        return io(IoOp.CREATE, path, null, -1, -1, () -> {
            fi.setFh(model.create(path, mode));
            return 0;
        });
    }

    @Override
    public int read(String path, ByteBuffer buf, long size, long offset, FileInfo fi) {
        return call(() -> model.read(fi.getFh(), offset, buf, (int) Math.min(size, buf.capacity())));
    }

    @Override
    public int write(String path, ByteBuffer buf, long size, long offset, FileInfo fi) {
        int n = (int) Math.min(size, buf.capacity());
        return io(IoOp.WRITE, path, null, offset, n, () -> model.write(fi.getFh(), offset, buf, n));
    }

    @Override
    public int flush(String path, FileInfo fi) {
        return 0;
    }

    @Override
    public int release(String path, FileInfo fi) {
        return call(() -> {
            model.release(fi.getFh());
            return 0;
        });
    }

    @Override
    public int fsync(String path, int datasync, FileInfo fi) {
        return io(datasync != 0 ? IoOp.FDATASYNC : IoOp.FSYNC, path, null, -1, -1, () -> {
            model.fsync(fi.getFh(), datasync != 0);
            return 0;
        });
    }

    @Override
    public int truncate(String path, long size, FileInfo fi) {
        return io(IoOp.TRUNCATE, path, null, size, -1, () -> {
            if (fi != null) model.truncate(fi.getFh(), size);
            else model.truncate(path, size);
            return 0;
        });
    }

    @Override
    public int mkdir(String path, int mode) {
        return call(() -> {
            model.mkdir(path, mode);
            return 0;
        });
    }

    @Override
    public int rmdir(String path) {
        return call(() -> {
            model.rmdir(path);
            return 0;
        });
    }

    @Override
    public int unlink(String path) {
        return io(IoOp.UNLINK, path, null, -1, -1, () -> {
            model.unlink(path);
            return 0;
        });
    }

    @Override
    public int rename(String oldpath, String newpath, int flags) {
        return io(IoOp.RENAME, oldpath, newpath, -1, -1, () -> {
            model.rename(oldpath, newpath, flags);
            return 0;
        });
    }

    @Override
    public int chmod(String path, int mode, FileInfo fi) {
        return call(() -> {
            model.chmod(path, mode);
            return 0;
        });
    }

    /** Accepted and ignored: every file belongs to the backing directory's owner. */
    @Override
    public int chown(String path, int uid, int gid, FileInfo fi) {
        return call(() -> model.getattr(path) != null ? 0 : -FsException.ENOENT);
    }

    @Override
    public int utimens(String path, TimeSpec atime, TimeSpec mtime, FileInfo fi) {
        return call(() -> {
            model.utimens(path, time(atime), time(mtime));
            return 0;
        });
    }

    @Override
    public int access(String path, int mask) {
        return call(() -> model.exists(path) ? 0 : -FsException.ENOENT);
    }

    @Override
    public int statfs(String path, Statvfs statvfs) {
        return call(() -> {
            statvfs.setBsize(BLOCK);
            statvfs.setFrsize(BLOCK);
            statvfs.setBlocks(store.getTotalSpace() / BLOCK);
            long free = model.spaceExhausted() ? 0 : Math.min(store.getUsableSpace(), model.spaceLeft()) / BLOCK;
            statvfs.setBfree(free);
            statvfs.setBavail(free);
            statvfs.setNameMax(255);
            return 0;
        });
    }

    private static Instant time(TimeSpec t) {
        if (t == null || t.isUtimeOmit()) return null;
        if (t.isUtimeNow()) return Instant.now();
        return t.get();
    }

    /**
     * An operation a crash point can be keyed to: the triggers see it before it takes effect and
     * after (also when it failed), and may hold, stall or fail it there.
     */
    private int io(IoOp op, String path, String to, long offset, long bytes, Callable<Integer> body) {
        if (triggers == null) return call(body);
        return call(() -> {
            Triggers.Ticket ticket = triggers.before(op, path, to, offset, bytes);
            int result = -FsException.EIO;
            try {
                result = body.call();
                return result;
            } catch (FsException e) {
                result = -e.errno;
                throw e;
            } finally {
                triggers.after(ticket, result);
            }
        });
    }

    private static int call(Callable<Integer> op) {
        try {
            return op.call();
        } catch (FsException e) {
            return -e.errno;
        } catch (Throwable t) {
            System.err.println("lossyfs: unexpected failure, answering EIO: " + t);
            t.printStackTrace();
            return -FsException.EIO;
        }
    }
}
