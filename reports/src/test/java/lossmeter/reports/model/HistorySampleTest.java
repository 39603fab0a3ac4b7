package lossmeter.reports.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistorySampleTest {
    @TempDir
    Path dir;

    /** 400k ops from 100 processes (each retired after a while), with a long list value on every read. */
    private Path bigHistory() throws IOException {
        Path h = dir.resolve("history.jsonl");
        String list = "[" + "\"p1-1\",".repeat(50) + "\"x\"]";
        try (BufferedWriter w = Files.newBufferedWriter(h, StandardCharsets.UTF_8)) {
            long index = 0;
            for (int i = 0; i < 200_000; i++) {
                int process = i / 2_000;
                long t = i * 50_000L;
                w.write("{\"index\":" + index++ + ",\"time\":" + t + ",\"type\":\"invoke\",\"process\":" + process
                        + ",\"f\":\"lrange\",\"key\":\"l1\",\"value\":null,\"error\":null}\n");
                String type = i % 1000 == 999 ? "info" : i % 500 == 0 ? "fail" : "ok";
                w.write("{\"index\":" + index++ + ",\"time\":" + (t + 20_000L) + ",\"type\":\"" + type + "\",\"process\":" + process
                        + ",\"f\":\"lrange\",\"key\":\"l1\",\"value\":" + list + ",\"error\":null}\n");
            }
        }
        return h;
    }

    @Test
    void binsTheLastSecondsBeforeTheCrashIntoBoundedRows() throws IOException {
        long crash = 9_000_000_000L;
        HistorySample s = HistorySample.read(bigHistory(), crash, 5_000_000_000L, 120, List.of(crash));
        assertThat(s.windowStartNs()).isEqualTo(4_000_000_000L);
        // 5 s at one op per 50 µs from 2,000-op processes: 50 processes, drawn as 24 rows and one "others".
        assertThat(s.rows()).hasSize(HistorySample.MAX_ROWS + 1);
        assertThat(s.rows().getLast().process()).isEqualTo(HistorySample.OTHERS);
        long counted = s.rows().stream().mapToLong(r -> sum(r.ok()) + sum(r.fail()) + sum(r.info())).sum();
        assertThat(counted).isEqualTo(100_000);
        assertThat(s.latency()).hasSize(HistorySample.LATENCY_BINS);
        assertThat(s.latency()[0].p50Ms()).isEqualTo(0.02);
        // No op is invoked after the crash in this history: the outage runs to the history's end.
        assertThat(s.outages()).hasSize(1);
        assertThat(s.outages().get(0)[0]).isEqualTo(crash);
    }

    @Test
    void aMissingHistoryIsEmptyNotAnError() throws IOException {
        HistorySample s = HistorySample.read(dir.resolve("none.jsonl"), 1_000, 1_000, 10, List.of());
        assertThat(s.rows()).isEmpty();
        assertThat(s.trialEndNs()).isZero();
    }

    private static long sum(int[] a) {
        long n = 0;
        for (int v : a) n += v;
        return n;
    }
}
