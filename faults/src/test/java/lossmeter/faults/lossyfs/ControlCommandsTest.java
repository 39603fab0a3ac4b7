package lossmeter.faults.lossyfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlCommandsTest {
    @TempDir
    Path backing;

    @Test
    void everyBadLineGetsAnErrReply() throws Exception {
        ControlCommands c = new ControlCommands(new LossyModel(backing, MetadataMode.STRICT, 512));
        for (String bad : new String[] {"", "   ", "nope", "torn", "torn sideways 1", "torn prefix x", "enospc", "enospc maybe",
                "enospc-after -1", "enospc-after 1e3", "fsync-eio sometimes", "report extra", "drop-unsynced now"}) {
            assertThat(c.execute(bad)).as(bad).startsWith("err ");
        }
    }

    @Test
    void commandsAnswerOkAndChangeTheSwitches() throws Exception {
        ControlCommands c = new ControlCommands(new LossyModel(backing, MetadataMode.ORDERED, 4096));
        assertThat(c.execute("status")).isEqualTo("ok lossyfs metadata=ordered sector=4096 enospc=off fsync-eio=off");
        assertThat(c.execute("enospc-after 100")).isEqualTo("ok enospc-after 100");
        assertThat(c.execute("FSYNC-EIO once")).isEqualTo("ok fsync-eio once");
        assertThat(c.execute("status")).contains("enospc=after:100", "fsync-eio=once");
        assertThat(c.execute("enospc on")).isEqualTo("ok enospc on");
        assertThat(c.execute("report")).isEqualTo("ok unsynced=0 meta=0 files=0");
        assertThat(c.execute("drop-unsynced")).isEqualTo("ok dropped files=0 bytes=0 meta=0");
        assertThat(c.execute("torn prefix 7")).startsWith("ok torn mode=prefix seed=7 kept=0 of=0");
        assertThat(c.execute("checkpoint")).startsWith("ok checkpoint");
    }

    @Test
    void replyParsingDecodesPaths() {
        String path = "/dir with space/a=b+c";
        LossyFsControl.Reply r = LossyFsControl.parse("unsynced=3 meta=0 files=1 " + ControlCommands.encode(path) + "=3");
        assertThat(r.fields()).containsEntry(path, "3");
        assertThat(r.number("unsynced")).isEqualTo(3);
    }
}
