package lossmeter.server.aof;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The steps that make file-system changes durable, each visible where it is made. */
public final class Durable {
    private Durable() {
    }

    /** fsync of a directory: makes creates, renames and unlinks inside it durable. */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
