package lossmeter.harness.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import lossmeter.workloads.history.History;
import lossmeter.workloads.history.HistoryRecorder;
import lossmeter.workloads.history.Op;
import lossmeter.workloads.history.OpType;

class HistoryJsonlTest {
    @TempDir
    Path dir;

    /** One op of every function and outcome, values in every type a history holds. */
    static List<Op> sample() {
        HistoryRecorder r = new HistoryRecorder(System.nanoTime(), op -> {
        });
        Op a = r.invoke(0, "incr", "c1", 3L);
        r.complete(a, OpType.OK, 12L, null);
        Op b = r.invoke(1, "rpush", "l0", "p1-1");
        r.complete(b, OpType.INFO, null, "SocketTimeoutException: Read timed out");
        Op c = r.invoke(9, "lrange", "l0", null);
        r.complete(c, OpType.OK, List.of("p1-1", "p2-7"), null);
        Op d = r.invoke(2, "txn", null, List.of(List.of("incr", "c0", 1L), List.of("lpush", "l1", "p2-3")));
        r.complete(d, OpType.OK, List.of(5L, 2L), null);
        Op e = r.invoke(3, "get", "c2", null);
        r.complete(e, OpType.OK, "not-a-number", null);
        Op f = r.invoke(4, "flushall", null, null);
        r.complete(f, OpType.FAIL, null, "ERR something");
        Op g = r.invoke(5, "get", "c3", null);
        r.complete(g, OpType.OK, null, null);
        return r.history().ops();
    }

    @Test
    void roundTripsEveryOp() throws IOException {
        List<Op> ops = sample();
        Path file = dir.resolve(HistoryJsonl.FILE);
        HistoryJsonl.write(file, ops);
        History back = HistoryJsonl.read(file);
        assertThat(back.ops()).isEqualTo(ops);
        assertThat(back.pairs()).hasSize(7);
    }

    @Test
    void writesOneObjectPerLineWithTheDocumentedFieldsInOrder() throws IOException {
        Path file = dir.resolve(HistoryJsonl.FILE);
        HistoryJsonl.write(file, sample());
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(14);
        for (String l : lines) {
            JsonNode n = Json.COMPACT.readTree(l);
            List<String> fields = new ArrayList<>();
            n.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactly("index", "time", "type", "process", "f", "key", "value", "error");
        }
        assertThat(lines.get(0)).startsWith("{\"index\":0,").contains("\"type\":\"invoke\"", "\"f\":\"incr\"", "\"key\":\"c1\"", "\"value\":3");
        assertThat(lines.get(3)).contains("\"type\":\"info\"", "\"error\":\"SocketTimeoutException: Read timed out\"");
        assertThat(Arrays.stream(OpType.values()).map(OpType::jsonName)).containsExactly("invoke", "ok", "fail", "info");
    }

    @Test
    void numbersComeBackAsLongs() {
        Op op = HistoryJsonl.parse("{\"index\":1,\"time\":2,\"type\":\"ok\",\"process\":3,\"f\":\"txn\",\"key\":null,"
                + "\"value\":[1,[2,\"x\"]],\"error\":null}");
        assertThat(op.value()).isEqualTo(List.of(1L, List.of(2L, "x")));
        assertThat(op.type()).isEqualTo(OpType.OK);
    }

    @Test
    void aTornLastLineIsSetAsideAndTheRestIsRead() throws IOException {
        List<Op> ops = sample();
        Path file = dir.resolve(HistoryJsonl.FILE);
        HistoryJsonl.write(file, ops);
        String whole = Files.readString(file);
        // A run killed mid-write: the last line is cut inside a value, without its newline.
        Files.writeString(file, whole + HistoryJsonl.line(ops.get(0)).substring(0, 17));
        HistoryJsonl.Read r = HistoryJsonl.readTolerant(file);
        assertThat(r.tornLine()).isEqualTo(15);
        assertThat(r.history().ops()).isEqualTo(ops);
        assertThatThrownBy(() -> HistoryJsonl.read(file)).hasMessageContaining(file + ":15: torn last line");
    }

    @Test
    void anyOtherBadLineNamesTheFileAndLine() throws IOException {
        Path file = dir.resolve(HistoryJsonl.FILE);
        HistoryJsonl.write(file, sample());
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(2, "{\"index\":2,\"time\":");
        Files.write(file, lines);
        assertThatThrownBy(() -> HistoryJsonl.readTolerant(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file + ":3: not a history line: {\"index\":2");
        // A complete last line that is not an op is damage, not a torn write.
        lines.set(2, HistoryJsonl.line(sample().get(2)));
        lines.add("{\"index\":99}");
        Files.write(file, lines);
        assertThatThrownBy(() -> HistoryJsonl.readTolerant(file)).hasMessageStartingWith(file + ":15: not a history line");
    }
}
