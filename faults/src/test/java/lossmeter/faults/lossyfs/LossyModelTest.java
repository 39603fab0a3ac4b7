package lossmeter.faults.lossyfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durability model without FUSE: the backing directory must always be the durable image. */
class LossyModelTest {
    @TempDir
    Path backing;

    private LossyModel model(MetadataMode mode) throws IOException {
        return new LossyModel(backing, mode, 512);
    }

    private static int write(LossyModel m, long fh, long offset, String s) throws FsException {
        byte[] data = s.getBytes(StandardCharsets.UTF_8);
        return m.write(fh, offset, ByteBuffer.wrap(data), data.length);
    }

    private static String read(LossyModel m, String path) throws FsException {
        long fh = m.open(path, false);
        try {
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            int n = m.read(fh, 0, buf, buf.capacity());
            return new String(buf.array(), 0, n, StandardCharsets.UTF_8);
        } finally {
            m.release(fh);
        }
    }

    private String backing(String name) throws IOException {
        return Files.readString(backing.resolve(name));
    }

    @Test
    void unsyncedWritesAreReadableButLostOnDrop() throws Exception {
        Files.writeString(backing.resolve("f"), "old");
        LossyModel m = model(MetadataMode.STRICT);
        long fh = m.open("/f", false);
        write(m, fh, 3, "-new");
        assertThat(read(m, "/f")).isEqualTo("old-new");
        assertThat(backing("f")).isEqualTo("old");
        assertThat(m.report().files()).containsEntry("/f", 4L);

        assertThat(m.dropUnsynced().bytes()).isEqualTo(4);
        assertThat(read(m, "/f")).isEqualTo("old");
        assertThat(m.getattr("/f").size()).isEqualTo(3);
    }

    @Test
    void fsyncAndFdatasyncBothPersistDataAndSize() throws Exception {
        Files.writeString(backing.resolve("f"), "old");
        LossyModel m = model(MetadataMode.STRICT);
        long fh = m.open("/f", false);
        write(m, fh, 3, "-new");
        m.fsync(fh, true);
        m.truncate(fh, 2);
        m.fsync(fh, true);
        m.dropUnsynced();
        assertThat(read(m, "/f")).isEqualTo("ol");
        assertThat(backing("f")).isEqualTo("ol");
    }

    @Test
    void fdatasyncLeavesTheModePendingWhereFsyncPersistsIt() throws Exception {
        Files.writeString(backing.resolve("f"), "x");
        Files.setPosixFilePermissions(backing.resolve("f"), PosixFilePermissions.fromString("rw-r--r--"));
        LossyModel m = model(MetadataMode.STRICT);
        long fh = m.open("/f", false);
        m.chmod("/f", 0600);
        m.fsync(fh, true);
        m.dropUnsynced();
        assertThat(m.getattr("/f").mode()).isEqualTo(0644);

        m.chmod("/f", 0600);
        m.fsync(fh, false);
        m.dropUnsynced();
        assertThat(m.getattr("/f").mode()).isEqualTo(0600);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backing.resolve("f")))).isEqualTo("rw-------");
    }

    @Test
    void strictRenameRevertsUnlessTheDirectoryWasFsynced() throws Exception {
        Files.writeString(backing.resolve("aof"), "old");
        LossyModel m = model(MetadataMode.STRICT);
        long fh = m.create("/temp", 0644);
        write(m, fh, 0, "new");
        m.fsync(fh, false);
        m.rename("/temp", "/aof", 0);
        assertThat(read(m, "/aof")).isEqualTo("new");

        m.dropUnsynced();
        assertThat(read(m, "/aof")).isEqualTo("old");
        assertThat(m.exists("/temp")).isFalse();
        assertThat(Files.list(backing).map(p -> p.getFileName().toString())).containsExactly("aof");

        fh = m.create("/temp", 0644);
        write(m, fh, 0, "new");
        m.fsync(fh, false);
        m.rename("/temp", "/aof", 0);
        m.fsyncDir("/");
        m.dropUnsynced();
        assertThat(read(m, "/aof")).isEqualTo("new");
        assertThat(backing("aof")).isEqualTo("new");
        assertThat(Files.exists(backing.resolve("temp"))).isFalse();
    }

    @Test
    void orderedRenameIsDurableAtAnyFsync() throws Exception {
        Files.writeString(backing.resolve("aof"), "old");
        Files.writeString(backing.resolve("other"), "");
        LossyModel m = model(MetadataMode.ORDERED);
        long fh = m.create("/temp", 0644);
        write(m, fh, 0, "new");
        m.fsync(fh, true);
        m.rename("/temp", "/aof", 0);
        long other = m.open("/other", false);
        m.fsync(other, true);
        m.dropUnsynced();
        assertThat(read(m, "/aof")).isEqualTo("new");
    }

    @Test
    void strictDirectoryFsyncAppliesOnlyTheChangesUpToItsLastOne() throws Exception {
        LossyModel m = model(MetadataMode.STRICT);
        m.mkdir("/d", 0755);
        m.release(m.create("/d/a", 0644));
        m.release(m.create("/b", 0644));
        m.fsyncDir("/d");
        m.dropUnsynced();
        assertThat(m.exists("/d/a")).isTrue();
        assertThat(m.exists("/b")).isFalse();
        assertThat(Files.isRegularFile(backing.resolve("d/a"))).isTrue();
    }

    @Test
    void unlinkIsUndoneByPowerLossUntilTheDirectoryIsSynced() throws Exception {
        Files.writeString(backing.resolve("f"), "keep");
        LossyModel m = model(MetadataMode.STRICT);
        m.unlink("/f");
        assertThat(m.exists("/f")).isFalse();
        assertThat(backing("f")).isEqualTo("keep");
        m.dropUnsynced();
        assertThat(read(m, "/f")).isEqualTo("keep");
        m.unlink("/f");
        m.fsyncDir("/");
        assertThat(Files.exists(backing.resolve("f"))).isFalse();
    }

    @Test
    void enospcAfterGivesAShortWriteThenEnospc() throws Exception {
        LossyModel m = model(MetadataMode.STRICT);
        long fh = m.create("/f", 0644);
        m.setSpaceLeft(10);
        assertThat(write(m, fh, 0, "12345678")).isEqualTo(8);
        assertThat(write(m, fh, 8, "abcdefgh")).isEqualTo(2);
        assertThatThrownBy(() -> write(m, fh, 10, "z")).isInstanceOf(FsException.class)
                .satisfies(e -> assertThat(((FsException) e).errno).isEqualTo(FsException.ENOSPC));
        m.setSpaceLeft(LossyModel.UNLIMITED);
        assertThat(write(m, fh, 10, "z")).isEqualTo(1);
    }

    @Test
    void failedFsyncDropsThatFilesDirtyDataOnce() throws Exception {
        Files.writeString(backing.resolve("f"), "old");
        LossyModel m = model(MetadataMode.STRICT);
        long fh = m.open("/f", false);
        write(m, fh, 3, "-lost");
        m.setFsyncEio(FsyncEio.ONCE);
        assertThatThrownBy(() -> m.fsync(fh, true)).isInstanceOf(FsException.class)
                .satisfies(e -> assertThat(((FsException) e).errno).isEqualTo(FsException.EIO));
        assertThat(read(m, "/f")).isEqualTo("old");
        write(m, fh, 3, "-kept");
        m.fsync(fh, true);
        assertThat(backing("f")).isEqualTo("old-kept");
        assertThat(m.fsyncEio()).isEqualTo(FsyncEio.OFF);
    }

    @Test
    void checkpointMakesEverythingDurable() throws Exception {
        LossyModel m = model(MetadataMode.STRICT);
        long fh = m.create("/f", 0644);
        write(m, fh, 0, "all");
        m.checkpoint();
        m.dropUnsynced();
        assertThat(read(m, "/f")).isEqualTo("all");
        assertThat(backing("f")).isEqualTo("all");
    }

    @Test
    void badHandlesAndMissingPathsAreErrnosNotCrashes() throws Exception {
        LossyModel m = model(MetadataMode.STRICT);
        assertThatThrownBy(() -> m.getattr("/nope")).isInstanceOf(FsException.class);
        assertThatThrownBy(() -> m.fsync(99, false)).isInstanceOf(FsException.class);
        assertThatThrownBy(() -> m.rmdir("/")).isInstanceOf(FsException.class);
        m.mkdir("/d", 0755);
        m.release(m.create("/d/x", 0644));
        assertThatThrownBy(() -> m.rmdir("/d")).isInstanceOf(FsException.class)
                .satisfies(e -> assertThat(((FsException) e).errno).isEqualTo(FsException.ENOTEMPTY));
    }

    @Test
    void aFileUnlinkedWithUnsyncedDataComesBackWithItsSyncedSize() throws Exception {
        Files.writeString(backing.resolve("f"), "old");
        LossyModel m = model(MetadataMode.STRICT);
        long fh = m.open("/f", false);
        write(m, fh, 3, "-unsynced");
        m.release(fh);
        m.unlink("/f");
        m.dropUnsynced();
        assertThat(m.getattr("/f").size()).isEqualTo(3);
        assertThat(read(m, "/f")).isEqualTo("old");
    }

    @Test
    void writebackPersistsOldDirtyDataButNotMetadata() throws Exception {
        Files.writeString(backing.resolve("f"), "");
        LossyModel m = model(MetadataMode.STRICT);
        long fh = m.open("/f", false);
        write(m, fh, 0, "aged");
        m.release(m.create("/new", 0644));
        assertThat(m.writeback(Long.MAX_VALUE)).isZero();
        assertThat(m.writeback(0)).isEqualTo(1);
        m.dropUnsynced();
        assertThat(read(m, "/f")).isEqualTo("aged");
        assertThat(m.exists("/new")).isFalse();
    }
}
