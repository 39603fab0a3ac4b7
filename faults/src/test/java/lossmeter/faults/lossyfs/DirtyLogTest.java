package lossmeter.faults.lossyfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class DirtyLogTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String overlay(DirtyLog log, String synced, int len) {
        byte[] dst = new byte[len];
        byte[] s = b(synced);
        System.arraycopy(s, 0, dst, 0, Math.min(len, s.length));
        log.overlay(0, dst, len);
        return new String(dst, StandardCharsets.US_ASCII);
    }

    @Test
    void laterWritesWinAndTruncateZeroesWhatFollows() {
        DirtyLog log = new DirtyLog();
        log.write(1, 0, b("aaaa"), 0);
        log.write(2, 2, b("bb"), 0);
        assertThat(overlay(log, "xxxxxx", 6)).isEqualTo("aabbxx");
        log.resize(3, 3, 0);
        log.write(4, 4, b("c"), 0);
        assertThat(overlay(log, "xxxxxx", 6)).isEqualTo("aab\0c\0");
    }

    @Test
    void consecutiveAppendsMergeButNotAcrossOtherChanges() {
        DirtyLog log = new DirtyLog();
        log.write(1, 0, b("ab"), 0);
        log.write(2, 2, b("cd"), 0);
        assertThat(log.entries()).hasSize(1);
        log.write(4, 4, b("ef"), 0); // seq 3 went to another file in between
        assertThat(log.entries()).hasSize(2);
        assertThat(log.writtenBytes()).isEqualTo(6);
    }

    @Test
    void applyReplaysInOrderAndClears() throws IOException {
        MemoryContent content = new MemoryContent(b("0123456789"), 10);
        DirtyLog log = new DirtyLog();
        log.write(1, 8, b("XYZ"), 0);
        log.resize(2, 4, 0);
        log.write(3, 5, b("Q"), 0);
        log.applyTo(content);
        assertThat(new String(content.toArray(), StandardCharsets.US_ASCII)).isEqualTo("0123\0Q");
        assertThat(log.isEmpty()).isTrue();
    }

    @Test
    void dirtySectorsCoverEveryTouchedSector() {
        DirtyLog log = new DirtyLog();
        log.write(1, 510, new byte[4], 0);
        log.write(5, 2048, new byte[1], 0);
        assertThat(log.dirtySectors(512)).containsExactly(0L, 1L, 4L);
    }
}
