package lossmeter.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * results.json against the shipped JSON Schema: results.json files copied from real campaigns
 * (one passing, one against a server with a durability bug), the test samples, and a broken one.
 */
class ResultsSchemaTest {
    @TempDir
    Path dir;

    static Schema schema() throws IOException {
        try (InputStream in = ResultsSchemaTest.class.getResourceAsStream(Reports.SCHEMA_RESOURCE)) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }

    static List<Error> validate(String json) throws IOException {
        return schema().validate(json, InputFormat.JSON);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/real/pass-results.json", "/real/fail-results.json"})
    void realResultsAreValid(String resource) throws IOException {
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            assertThat(validate(new String(in.readAllBytes(), StandardCharsets.UTF_8))).isEmpty();
        }
    }

    @Test
    void samplesAreValid() throws IOException {
        assertThat(validate(Files.readString(SampleResults.failing(dir.resolve("a")).resolve("results.json")))).isEmpty();
        assertThat(validate(Files.readString(SampleResults.empty(dir.resolve("b")).resolve("results.json")))).isEmpty();
        assertThat(validate(Files.readString(SampleResults.ambiguous(dir.resolve("c")).resolve("results.json")))).isEmpty();
        assertThat(validate(Files.readString(SampleResults.noEffect(dir.resolve("d")).resolve("results.json")))).isEmpty();
    }

    @Test
    void aCellWithoutItsFieldsOrAnUnknownVerdictIsInvalid() throws IOException {
        assertThat(validate("{\"verdict\":\"MAYBE\",\"seed\":1,\"target\":\"bundled\",\"cells\":[{\"policy\":\"always\"}]}"))
                .extracting(e -> e.getInstanceLocation() + " " + e.getMessage()).anyMatch(m -> m.contains("verdict") && m.contains("PASS")).anyMatch(m -> m.contains("fault"));
    }

    @Test
    void theDocsCopyIsTheShippedSchema() throws IOException {
        Path docs = Path.of("..", "docs", "results.schema.json");
        try (InputStream in = getClass().getResourceAsStream(Reports.SCHEMA_RESOURCE)) {
            assertThat(Files.readString(docs)).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
