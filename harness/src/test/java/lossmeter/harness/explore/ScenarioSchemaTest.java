package lossmeter.harness.explore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import lossmeter.faults.CrashPoint;
import lossmeter.faults.Faults;
import lossmeter.faults.target.Policy;
import lossmeter.harness.run.Json;

/**
 * The shipped JSON Schema of scenario.json and the parser agree: every scenario lossmeter writes
 * (drawn, shrunk, the documented example) is valid and parses; every malformed one below is
 * refused by both.
 */
class ScenarioSchemaTest {
    private static final Schema SCHEMA = load();

    private static Schema load() {
        try (InputStream in = ScenarioSchemaTest.class.getResourceAsStream(Scenario.SCHEMA_RESOURCE)) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Error> validate(String json) {
        return SCHEMA.validate(json, InputFormat.JSON);
    }

    private static String json(Scenario s) throws IOException {
        return Json.PRETTY.writeValueAsString(s.toJson());
    }

    @Test
    void theDocsCopyIsTheShippedSchema() throws IOException {
        try (InputStream in = getClass().getResourceAsStream(Scenario.SCHEMA_RESOURCE)) {
            assertThat(Files.readString(Path.of("..", "docs", "scenario.schema.json")))
                    .isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void theSchemaNamesEveryFaultOfTheCatalogue() throws IOException {
        JsonNode faults = Json.PRETTY.readTree(getClass().getResourceAsStream(Scenario.SCHEMA_RESOURCE)).at("/properties/fault/enum");
        List<String> names = new ArrayList<>();
        faults.forEach(f -> names.add(f.asText()));
        assertThat(names).containsExactlyInAnyOrderElementsOf(Faults.NAMES);
    }

    @Test
    void everyScenarioExploreDrawsOrShrinksIsValid() throws IOException {
        ScenarioDraw draw = new ScenarioDraw(11, "bundled", List.of(Policy.ALWAYS, Policy.EVERYSEC, Policy.NO), Faults.NAMES,
                CrashPoint.Mode.IO, Duration.ofMillis(1500));
        for (int i = 0; i < 300; i++) {
            Scenario s = draw.next();
            assertThat(validate(json(s))).as(s.describe()).isEmpty();
        }
        Scenario shrunk = ShrinkerTest.big();
        assertThat(validate(json(shrunk))).isEmpty();
        assertThat(validate(json(shrunk.withCycles(List.of(new Scenario.Cycle(0, null)))))).isEmpty();
    }

    @Test
    void theDocumentedExampleIsValidAndParses() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "scenario.md"));
        Matcher m = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertThat(m.find()).isTrue();
        assertThat(validate(m.group(1))).isEmpty();
        assertThat(Scenario.parse(Json.PRETTY.readTree(m.group(1))).fault()).isEqualTo("power-loss");
    }

    /** A malformed variant of a good scenario, made by editing its JSON, and what the parser's message says. */
    record Bad(String what, java.util.function.Consumer<ObjectNode> edit, String message) {
        @Override
        public String toString() {
            return what;
        }
    }

    private static ObjectNode cycle(ObjectNode n) {
        return (ObjectNode) n.get("cycles").get(0);
    }

    private static ObjectNode point(ObjectNode n) {
        return (ObjectNode) cycle(n).get("crashPoint");
    }

    static List<Bad> malformed() {
        return List.of(
                new Bad("another format", n -> n.put("format", "scenario"), "format must be"),
                new Bad("another version", n -> n.put("version", 2), "version 2 is not supported"),
                new Bad("no version", n -> n.remove("version"), "'version' must be a whole number"),
                new Bad("an unknown field", n -> n.set("clientz", n.remove("clients")), "unknown field 'clientz'"),
                new Bad("a seed that is text", n -> n.put("seed", "42"), "'seed' must be a whole number"),
                new Bad("a fractional seed", n -> n.put("seed", 4.2), "'seed' must be a whole number"),
                new Bad("a blank target", n -> n.put("target", " "), "needs a target"),
                new Bad("an unknown policy", n -> n.put("policy", "sometimes"), "sometimes"),
                new Bad("an unknown fault", n -> n.put("fault", "meteor"), "meteor"),
                new Bad("an unknown op kind", n -> n.put("mix", "inc=30,push=20"), "bad op mix"),
                new Bad("keys 0", n -> n.put("keys", 0), "keys must be ≥ 1"),
                new Bad("keys as text", n -> n.put("keys", "eight"), "'keys' must be a whole number"),
                new Bad("clients 0", n -> n.put("clients", 0), "clients must be ≥ 1"),
                new Bad("an unknown crash-point mode", n -> n.put("crashPoint", "soon"), "time or io"),
                new Bad("a window without a unit", n -> n.put("window", "2"), "bad duration"),
                new Bad("an op timeout of 0", n -> n.put("opTimeout", "0ms"), "opTimeout must be positive"),
                new Bad("a directive that is a number", n -> n.putObject("directives").put("appendfsync", 1), "must be a string"),
                new Bad("no cycles", n -> n.putArray("cycles"), "at least one crash cycle"),
                new Bad("cycles that are not an array", n -> n.put("cycles", 3), "cycles must be an array"),
                new Bad("negative ops", n -> cycle(n).put("ops", -1), "must be ≥ 0"),
                new Bad("a cycle without ops", n -> cycle(n).remove("ops"), "'ops' must be a whole number"),
                new Bad("an unknown field in a cycle", n -> cycle(n).put("opz", 1), "unknown field 'opz' in a cycle"),
                new Bad("an unknown I/O operation", n -> point(n).put("op", "fsink"), "unknown operation 'fsink'"),
                new Bad("an unknown phase", n -> point(n).put("phase", "during"), "phase must be before or after"),
                new Bad("a crash point's n of 0", n -> point(n).put("n", 0), "n must be ≥ 1"),
                new Bad("a crash point without its glob", n -> point(n).remove("glob"), "'glob' must be a string"),
                new Bad("an unknown field in a crash point", n -> point(n).put("m", 1), "unknown field 'm' in a crash point"),
                new Bad("a crash point that is text", n -> cycle(n).put("crashPoint", "x"), "crashPoint is an object"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void aMalformedScenarioIsRefusedByTheSchemaAndByTheParser(Bad bad) throws IOException {
        ObjectNode n = Json.PRETTY.valueToTree(ShrinkerTest.big().toJson());
        assertThat(validate(n.toString())).isEmpty();
        bad.edit().accept(n);
        String text = n.toString();
        assertThat(validate(text)).as("the schema refuses " + bad.what()).isNotEmpty();
        IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class, () -> Scenario.parse(Json.PRETTY.readTree(text)));
        assertThat(e).as("the parser refuses " + bad.what()).isNotNull();
        assertThat(e.getMessage()).contains(bad.message());
    }
}
