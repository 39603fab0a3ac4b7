package lossmeter.faults.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lossmeter.faults.node.FakeNode;

class AofLayoutTest {
    @TempDir
    Path dir;

    @Test
    void readsRedis7sManifestDirectory() throws IOException {
        Path aof = Files.createDirectories(dir.resolve("appendonlydir"));
        Files.writeString(aof.resolve("appendonly.aof.manifest"), """
                file appendonly.aof.1.base.rdb seq 1 type b
                file appendonly.aof.1.incr.aof seq 1 type h
                file appendonly.aof.2.incr.aof seq 2 type i
                """);
        try (FakeNode node = new FakeNode()) {
            AofLayout l = AofLayout.detect(node, dir);
            assertThat(l.kind()).isEqualTo(AofLayout.Kind.MULTI_PART);
            assertThat(l.parts()).extracting(AofLayout.Part::type).containsExactly("b", "h", "i");
            assertThat(l.tail()).isEqualTo(aof.resolve("appendonly.aof.2.incr.aof"));
        }
    }

    @Test
    void readsTheSingleFileLayoutAndAnEmptyDir() throws IOException {
        try (FakeNode node = new FakeNode()) {
            assertThat(AofLayout.detect(node, dir).kind()).isEqualTo(AofLayout.Kind.NONE);
            Files.writeString(dir.resolve("appendonly.aof"), "*1\r\n$8\r\nFLUSHALL\r\n");
            AofLayout l = AofLayout.detect(node, dir);
            assertThat(l.kind()).isEqualTo(AofLayout.Kind.SINGLE_FILE);
            assertThat(l.tail()).isEqualTo(dir.resolve("appendonly.aof"));
        }
    }

    @Test
    void manifestKeysMayComeInAnyOrderAndNamesMayBeQuoted() {
        assertThat(AofLayout.parseManifest(Path.of("/d"), "type i seq 3 file \"a.aof\"\n# comment\n\n"))
                .containsExactly(new AofLayout.Part(Path.of("/d/a.aof"), "i", 3));
    }
}
