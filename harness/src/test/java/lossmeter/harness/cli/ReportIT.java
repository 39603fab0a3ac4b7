package lossmeter.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import lossmeter.harness.run.ExitCode;
import lossmeter.harness.run.Json;
import lossmeter.reports.Reports;

/**
 * The reports at the end of a real campaign: run writes report.html and junit.xml and prints the
 * path, its results.json matches the shipped schema, {@code report} re-renders, {@code compare}
 * and {@code run --baseline} gate with the documented exit codes.
 */
@Tag("integration")
class ReportIT {
    @TempDir
    Path dir;

    private Cli.Result campaign(Path out, String... extra) {
        String[] base = {"run", "--policies", "always", "--faults", "kill", "--trials", "1", "--duration", "1s", "--crashes", "1",
                "--seed", "11", "--out", out.toString()};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return Cli.run(all);
    }

    @Test
    void runWritesAValidResultsJsonAndTheReportsAndTheGateWorks() throws Exception {
        Path first = dir.resolve("first");
        Cli.Result r = campaign(first);
        assertThat(r.code()).as("%s", r).isZero();
        assertThat(r.out()).contains("report: " + first.resolve("report.html"));
        assertThat(first.resolve("report.html")).isRegularFile();
        String results = Files.readString(first.resolve("results.json"));
        try (InputStream schema = Reports.class.getResourceAsStream(Reports.SCHEMA_RESOURCE)) {
            assertThat(SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema)
                    .validate(results, InputFormat.JSON)).isEmpty();
        }
        assertThat(Json.PRETTY.readTree(results).get("targetVersion").asText()).contains("redis");
        var junit = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(first.resolve("junit.xml").toFile());
        assertThat(junit.getElementsByTagName("testcase").getLength()).isEqualTo(1);
        assertThat(junit.getElementsByTagName("failure").getLength()).isZero();

        Files.delete(first.resolve("report.html"));
        assertThat(Cli.run("report", first.toString()).code()).isZero();
        assertThat(first.resolve("report.html")).isRegularFile();
        assertThat(Cli.run("report", dir.resolve("nothing").toString()).code()).isEqualTo(ExitCode.USAGE.code());

        // A campaign whose window grew: compare fails it, within the tolerance passes it.
        ObjectNode worse = (ObjectNode) Json.PRETTY.readTree(results);
        ((ObjectNode) worse.get("cells").get(0)).put("maxLossWindowMs", 101);
        Path worseFile = dir.resolve("worse.json");
        Json.PRETTY.writeValue(worseFile.toFile(), worse);
        Path base = first.resolve("results.json");
        assertThat(Cli.run("compare", base.toString(), worseFile.toString()).code()).isEqualTo(ExitCode.FINDING.code());
        assertThat(Cli.run("compare", base.toString(), worseFile.toString(), "--tolerance-ms", "101").code()).isZero();
        assertThat(Cli.run("compare", base.toString(), dir.resolve("missing.json").toString()).code()).isEqualTo(ExitCode.USAGE.code());

        Path second = dir.resolve("second");
        Cli.Result gated = campaign(second, "--baseline", base.toString());
        assertThat(gated.code()).as("%s", gated).isZero();
        assertThat(gated.out()).contains("no regression");
        assertThat(second.resolve("comparison.json")).isRegularFile();
        assertThat(Files.readString(second.resolve("report.html"))).contains("Compared with the baseline");
        assertThat(campaign(dir.resolve("third"), "--baseline", dir.resolve("missing.json").toString()).code()).isEqualTo(ExitCode.USAGE.code());
    }
}
