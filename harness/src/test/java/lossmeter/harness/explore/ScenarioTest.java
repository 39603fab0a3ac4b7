package lossmeter.harness.explore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import lossmeter.faults.CrashPoint;
import lossmeter.faults.target.Policy;
import lossmeter.harness.run.ExitCode;
import lossmeter.harness.run.Json;

/** scenario.json round trips and refuses what is malformed; draws replay from the seed; explore's exits and files. */
class ScenarioTest {
    @TempDir
    Path dir;

    @Test
    void aScenarioFileRoundTrips() throws IOException {
        Scenario s = ShrinkerTest.big();
        Path f = dir.resolve(Scenario.FILE);
        s.write(f);
        assertThat(Scenario.read(f)).isEqualTo(s);
        JsonNode n = Json.PRETTY.readTree(f.toFile());
        assertThat(n.get("format").asText()).isEqualTo("lossmeter-scenario");
        assertThat(n.get("version").asInt()).isEqualTo(1);
        assertThat(n.get("cycles").get(0).get("crashPoint").get("op").asText()).isEqualTo("fdatasync");
    }

    @Test
    void malformedScenariosAreRefusedWithTheFieldNamed() throws IOException {
        String good = Json.PRETTY.writeValueAsString(ShrinkerTest.big().toJson());
        assertThat(refusal(good.replace("\"version\" : 1", "\"version\" : 2"))).contains("version 2 is not supported");
        assertThat(refusal(good.replace("\"clients\"", "\"clientz\""))).contains("unknown field 'clientz'");
        assertThat(refusal(good.replace("\"fdatasync\"", "\"fsink\""))).contains("unknown operation 'fsink'");
        assertThat(refusal(good.replace("\"power-loss\"", "\"meteor\""))).contains("meteor");
        assertThat(refusal(good.replace("\"n\" : 17", "\"n\" : 0"))).contains("n must be ≥ 1");
        assertThat(refusal(good.replace("\"keys\" : 8", "\"keys\" : \"eight\""))).contains("'keys' must be a whole number");
        assertThat(refusal("{\"format\": ")).contains("is not JSON");
        assertThat(refusal(good.replace("\"always\"", "\"sometimes\""))).contains("sometimes");
    }

    private String refusal(String text) throws IOException {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, text);
        return org.assertj.core.api.Assertions.catchThrowableOfType(IllegalArgumentException.class, () -> Scenario.read(f)).getMessage();
    }

    @Test
    void drawsDependOnlyOnTheSeedAndStayInBounds() {
        List<Policy> ps = List.of(Policy.ALWAYS, Policy.EVERYSEC, Policy.NO);
        List<String> fs = List.of("kill", "power-loss");
        ScenarioDraw a = new ScenarioDraw(5, "bundled", ps, fs, CrashPoint.Mode.IO, Duration.ofSeconds(2));
        ScenarioDraw b = new ScenarioDraw(5, "bundled", ps, fs, CrashPoint.Mode.IO, Duration.ofSeconds(2));
        ScenarioDraw c = new ScenarioDraw(6, "bundled", ps, fs, CrashPoint.Mode.IO, Duration.ofSeconds(2));
        List<Scenario> as = new ArrayList<>();
        boolean differs = false;
        for (int i = 0; i < 200; i++) {
            Scenario s = a.next();
            as.add(s);
            assertThat(b.next()).isEqualTo(s);
            differs |= !c.next().equals(s);
            assertThat(s.clients()).isBetween(1, ScenarioDraw.MAX_CLIENTS);
            assertThat(s.keys()).isBetween(1, ScenarioDraw.MAX_KEYS);
            assertThat(s.cycles()).hasSizeBetween(1, ScenarioDraw.MAX_CYCLES);
            assertThat(s.cycles()).allSatisfy(cy -> assertThat(cy.ops()).isBetween(ScenarioDraw.MIN_OPS, ScenarioDraw.MAX_OPS));
            assertThat(s.opKinds()).containsAnyOf("incr", "push", "txn");
        }
        assertThat(differs).isTrue();
        assertThat(as.stream().map(Scenario::policy).distinct()).hasSize(3);
        assertThat(as.stream().map(Scenario::fault).distinct()).hasSize(2);
        assertThat(as.stream().filter(s -> s.opKinds().contains("flush"))).isNotEmpty();
        assertThat(as.stream().filter(s -> s.opKinds().contains("txn"))).isNotEmpty();
    }

    @Test
    void exploreFindsShrinksAndExitsOneOrCoversTheBudgetAndExitsZero() throws IOException {
        AtomicLong now = new AtomicLong();
        // A bug only under always with flushes in the mix.
        SimulatedTarget target = new SimulatedTarget(s -> s.policy() == Policy.ALWAYS && s.opKinds().contains("flush") ? "RESURRECTED" : null,
                0, 1, () -> now.addAndGet(2_000_000_000L));
        ScenarioDraw draw = new ScenarioDraw(9, "bundled", List.of(Policy.ALWAYS, Policy.NO), List.of("kill"), CrashPoint.Mode.IO,
                Duration.ofSeconds(2));
        StringWriter out = new StringWriter();
        Path found = dir.resolve("found");
        ExitCode code = new Explorer(draw, target, new Explorer.Options(Duration.ofMinutes(10), Duration.ofMinutes(5), 2, 3, 3, found, 9),
                now::get, new PrintWriter(out)).run();
        assertThat(code).as(out.toString()).isEqualTo(ExitCode.FINDING);
        assertThat(found.resolve("original").resolve(Scenario.FILE)).isRegularFile();
        Scenario shrunk = Scenario.read(found.resolve("shrunk").resolve(Scenario.FILE));
        assertThat(shrunk.opKinds()).containsExactly("flush");
        assertThat(shrunk.cycles()).hasSize(1);
        assertThat(shrunk.clients()).isEqualTo(1);
        assertThat(shrunk.cycles().getFirst().ops()).isEqualTo(1);
        JsonNode repro = Json.PRETTY.readTree(found.resolve("shrunk").resolve(Explorer.REPRODUCER).toFile());
        assertThat(repro.get("kind").asText()).isEqualTo("RESURRECTED");
        assertThat(repro.get("replayFailures").asInt()).isEqualTo(3);
        assertThat(repro.get("steps").size()).isPositive();
        assertThat(Json.PRETTY.readTree(found.resolve(Explorer.SUMMARY).toFile()).get("verdict").asText()).isEqualTo("FAIL");
        assertThat(found.resolve("runs")).doesNotExist();
        assertThat(found.resolve("shrink")).doesNotExist();
        assertThat(out.toString()).contains("minimal reproducer").contains("replay:");

        now.set(0);
        SimulatedTarget correct = new SimulatedTarget(s -> null, 0, 1, () -> now.addAndGet(2_000_000_000L));
        Path clean = dir.resolve("clean");
        StringWriter out2 = new StringWriter();
        ExitCode pass = new Explorer(new ScenarioDraw(9, "bundled", List.of(Policy.ALWAYS, Policy.NO), List.of("kill"), CrashPoint.Mode.IO,
                Duration.ofSeconds(2)), correct, new Explorer.Options(Duration.ofMinutes(1), Duration.ofMinutes(5), 2, 3, 3, clean, 9), now::get,
                new PrintWriter(out2)).run();
        assertThat(pass).isEqualTo(ExitCode.PASS);
        assertThat(correct.ran).hasSize(30);
        JsonNode summary = Json.PRETTY.readTree(clean.resolve(Explorer.SUMMARY).toFile());
        assertThat(summary.get("scenarios").asInt()).isEqualTo(30);
        assertThat(summary.get("covered").get("always × kill").asInt() + summary.get("covered").get("no × kill").asInt()).isEqualTo(30);
        assertThat(Files.readAllLines(clean.resolve(Explorer.LOG))).hasSize(30);
        assertThat(out2.toString()).contains("no failure in 1:00: 30 scenarios");
    }
}
