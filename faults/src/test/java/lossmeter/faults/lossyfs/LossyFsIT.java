package lossmeter.faults.lossyfs;

import lossmeter.testsupport.Requirements;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lossyfs mounted for real, driven by C-library programs (python3's os module, dd). */
@Tag("integration")
class LossyFsIT {
    @TempDir
    Path tmp;

    private MountedFs fs;

    @BeforeEach
    void setUp() {
        Requirements.requireFuse();
        Requirements.requireCommand("python3");
        fs = new MountedFs(tmp);
    }

    @AfterEach
    void tearDown() throws Exception {
        fs.close();
    }

    /** Runs python3 with {@code os} imported and the mount as {@code m}; returns its output. */
    private MountedFs.Result py(LossyFsProcess lfs, String code) throws Exception {
        return fs.run("python3", "-c", "import os, sys\nm = sys.argv[1]\n" + code, lfs.mount().toString());
    }

    @Test
    void fsyncedDataSurvivesAPowerLossAndUnsyncedDataDoesNot() throws Exception {
        LossyFsProcess lfs = fs.mount("drop", MetadataMode.STRICT, b -> Files.writeString(b.resolve("log"), "base;"));
        assertThat(py(lfs, """
                fd = os.open(m + '/log', os.O_WRONLY | os.O_APPEND)
                os.write(fd, b'synced;'); os.fsync(fd)
                os.write(fd, b'unsynced;'); os.close(fd)
                print(open(m + '/log').read())
                """).output()).contains("base;synced;unsynced;");
        Path backing = lfs.options().backing();
        assertThat(Files.readString(backing.resolve("log"))).isEqualTo("base;synced;");
        assertThat(lfs.control().report().files()).containsEntry("/log", 9L);

        assertThat(lfs.control().dropUnsynced().number("bytes")).isEqualTo(9);
        assertThat(Files.readString(lfs.mount().resolve("log"))).isEqualTo("base;synced;");
        assertThat(Files.readString(backing.resolve("log"))).isEqualTo("base;synced;");
    }

    @Test
    void fdatasyncPersistsDataAndSizeButNotTheMode() throws Exception {
        LossyFsProcess lfs = fs.mount("fdatasync", MetadataMode.STRICT, b -> {
            Files.writeString(b.resolve("f"), "");
            Files.setPosixFilePermissions(b.resolve("f"), PosixFilePermissions.fromString("rw-r--r--"));
        });
        py(lfs, """
                fd = os.open(m + '/f', os.O_WRONLY)
                os.write(fd, b'data'); os.fchmod(fd, 0o600); os.fdatasync(fd); os.close(fd)
                """);
        lfs.control().dropUnsynced();
        assertThat(Files.readString(lfs.mount().resolve("f"))).isEqualTo("data");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lfs.mount().resolve("f")))).isEqualTo("rw-r--r--");

        py(lfs, """
                fd = os.open(m + '/f', os.O_WRONLY | os.O_APPEND)
                os.write(fd, b'+more'); os.fchmod(fd, 0o600); os.fsync(fd); os.close(fd)
                """);
        lfs.control().dropUnsynced();
        assertThat(Files.readString(lfs.mount().resolve("f"))).isEqualTo("data+more");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lfs.mount().resolve("f")))).isEqualTo("rw-------");
    }

    private static final String REWRITE = """
            fd = os.open(m + '/temp', os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o644)
            os.write(fd, b'new'); os.fsync(fd); os.close(fd)
            os.rename(m + '/temp', m + '/aof')
            """;

    @Test
    void strictRenameRevertsAfterPowerLossUnlessTheDirectoryWasFsynced() throws Exception {
        LossyFsProcess lfs = fs.mount("strict", MetadataMode.STRICT, b -> Files.writeString(b.resolve("aof"), "old"));
        py(lfs, REWRITE);
        assertThat(Files.readString(lfs.mount().resolve("aof"))).isEqualTo("new");
        lfs.control().dropUnsynced();
        assertThat(Files.readString(lfs.mount().resolve("aof"))).isEqualTo("old");
        assertThat(lfs.mount().resolve("temp")).doesNotExist();

        py(lfs, REWRITE + """
                d = os.open(m, os.O_RDONLY); os.fsync(d); os.close(d)
                """);
        lfs.control().dropUnsynced();
        assertThat(Files.readString(lfs.mount().resolve("aof"))).isEqualTo("new");
        assertThat(lfs.options().backing().resolve("temp")).doesNotExist();
    }

    @Test
    void orderedRenameIsDurableAtAnyFsyncOnTheFilesystem() throws Exception {
        LossyFsProcess lfs = fs.mount("ordered", MetadataMode.ORDERED, b -> {
            Files.writeString(b.resolve("aof"), "old");
            Files.writeString(b.resolve("other"), "");
        });
        py(lfs, REWRITE);
        lfs.control().dropUnsynced();
        // The rename came after the only fsync: not durable yet.
        assertThat(Files.readString(lfs.mount().resolve("aof"))).isEqualTo("old");

        py(lfs, REWRITE + """
                fd = os.open(m + '/other', os.O_WRONLY); os.fsync(fd); os.close(fd)
                """);
        lfs.control().dropUnsynced();
        assertThat(Files.readString(lfs.mount().resolve("aof"))).isEqualTo("new");
    }

    private byte[] tear(String mode, long seed) throws Exception {
        LossyFsProcess lfs = fs.mount("torn-" + mode, MetadataMode.STRICT, b -> Files.write(b.resolve("aof"), "o".repeat(1500).getBytes()));
        py(lfs, """
                fd = os.open(m + '/aof', os.O_WRONLY)
                os.pwrite(fd, b'n' * 3000, 1500)
                os.pwrite(fd, b'w' * 700, 100)
                os.close(fd)
                """);
        LossyFsControl.Reply r = mode.equals("sectors") ? lfs.control().tornSectors(seed) : lfs.control().tornPrefix(seed);
        assertThat(r.number("kept")).isBetween(0L, r.number("of"));
        byte[] got = Files.readAllBytes(lfs.mount().resolve("aof"));
        assertThat(Files.readAllBytes(lfs.options().backing().resolve("aof"))).isEqualTo(got);
        lfs.stop();
        return got;
    }

    @Test
    void tornWritesAreReproducibleFromTheSeed() throws Exception {
        for (String mode : new String[] {"sectors", "prefix"}) {
            byte[] first = tear(mode, 1234);
            assertThat(tear(mode, 1234)).as(mode).isEqualTo(first);
            assertThat(first.length).as(mode).isBetween(1500, 4500);
        }
    }

    @Test
    void enospcReachesDdAndPython() throws Exception {
        Requirements.requireCommand("dd");
        LossyFsProcess lfs = fs.mount("enospc", MetadataMode.STRICT, b -> { });
        lfs.control().enospcAfter(4096);
        MountedFs.Result dd = fs.run("dd", "if=/dev/zero", "of=" + lfs.mount().resolve("big"), "bs=1024", "count=16", "conv=fsync");
        assertThat(dd.status()).isNotZero();
        assertThat(dd.output()).contains("No space left on device");

        lfs.control().enospc(true);
        MountedFs.Result p = py(lfs, """
                fd = os.open(m + '/big', os.O_WRONLY | os.O_APPEND)
                try:
                    os.write(fd, b'x')
                except OSError as e:
                    print('errno', e.errno)
                """);
        assertThat(p.output()).contains("errno 28");

        lfs.control().enospc(false);
        assertThat(fs.run("dd", "if=/dev/zero", "of=" + lfs.mount().resolve("ok"), "bs=1024", "count=16", "conv=fsync").status()).isZero();
    }

    @Test
    void fsyncEioReachesDdAndPythonAndDropsTheDirtyData() throws Exception {
        Requirements.requireCommand("dd");
        LossyFsProcess lfs = fs.mount("eio", MetadataMode.STRICT, b -> Files.writeString(b.resolve("f"), "old"));
        lfs.control().fsyncEio(FsyncEio.ONCE);
        MountedFs.Result p = py(lfs, """
                fd = os.open(m + '/f', os.O_WRONLY | os.O_APPEND)
                os.write(fd, b'-lost')
                try:
                    os.fsync(fd)
                except OSError as e:
                    print('errno', e.errno)
                os.close(fd)
                fd = os.open(m + '/f', os.O_WRONLY | os.O_APPEND)
                os.write(fd, b'-kept'); os.fsync(fd); os.close(fd)
                print('fsync ok')
                """);
        assertThat(p.output()).contains("errno 5", "fsync ok");
        assertThat(Files.readString(lfs.options().backing().resolve("f"))).isEqualTo("old-kept");

        lfs.control().fsyncEio(FsyncEio.ON);
        MountedFs.Result dd = fs.run("dd", "if=/dev/zero", "of=" + lfs.mount().resolve("f"), "bs=512", "count=1", "conv=fsync,notrunc");
        assertThat(dd.status()).isNotZero();
        assertThat(dd.output()).contains("Input/output error");
        assertThat(lfs.control().status().fields()).containsEntry("fsync-eio", "on");
    }

    @Test
    void badControlCommandsGetErrRepliesAndLossyfsKeepsServing() throws Exception {
        LossyFsProcess lfs = fs.mount("bad", MetadataMode.STRICT, b -> { });
        for (String bad : new String[] {"", "explode", "torn", "enospc-after lots", "x".repeat(10_000)}) {
            try {
                lfs.control().send(bad);
                throw new AssertionError("accepted: " + bad);
            } catch (LossyFsException e) {
                assertThat(e.getMessage()).contains("lossyfs refused");
            }
        }
        assertThat(lfs.control().status().text()).startsWith("lossyfs metadata=strict");
    }
}
