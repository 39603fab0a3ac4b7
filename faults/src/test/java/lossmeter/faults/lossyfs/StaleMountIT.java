package lossmeter.faults.lossyfs;

import lossmeter.testsupport.Requirements;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A SIGKILLed lossyfs leaves a dead mount and only its durable image; the next start cleans up. */
@Tag("integration")
class StaleMountIT {
    @TempDir
    Path tmp;

    private MountedFs fs;

    @BeforeEach
    void setUp() {
        Requirements.requireFuse();
        fs = new MountedFs(tmp);
    }

    @AfterEach
    void tearDown() throws Exception {
        fs.close();
    }

    @Test
    void sigkillLeavesAStaleMountThatTheNextStartDetectsAndCleans() throws Exception {
        LossyFsProcess first = fs.mount("stale", MetadataMode.STRICT, b -> Files.writeString(b.resolve("f"), "durable"));
        Files.writeString(first.mount().resolve("f"), "unsynced");
        first.kill();

        assertThat(first.isAlive()).isFalse();
        assertThat(Mounts.at(first.mount())).hasValueSatisfying(e -> assertThat(e.fsType()).isEqualTo("fuse.lossyfs"));
        assertThatThrownBy(() -> Files.readString(first.mount().resolve("f"))).isInstanceOf(IOException.class);
        // A crash of lossyfs is a power loss: only what was synced is in the backing directory;
        // neither the O_TRUNC nor the write was.
        assertThat(Files.readString(first.options().backing().resolve("f"))).isEqualTo("durable");

        LossyFsProcess second = fs.start(first.options());
        assertThat(second.logText()).contains("cleaning a stale fuse.lossyfs mount at " + first.mount());
        assertThat(Files.readString(second.mount().resolve("f"))).isEqualTo("durable");
        second.stop();
        assertThat(Mounts.at(first.mount())).isEmpty();
    }

    @Test
    void aCleanStopUnmountsAndWritesEverythingBack() throws Exception {
        LossyFsProcess lfs = fs.mount("clean", MetadataMode.STRICT, b -> { });
        Files.writeString(lfs.mount().resolve("f"), "kept");
        lfs.stop();
        assertThat(Mounts.at(lfs.mount())).isEmpty();
        assertThat(Files.readString(lfs.options().backing().resolve("f"))).isEqualTo("kept");
    }
}
