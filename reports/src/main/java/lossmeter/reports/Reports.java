package lossmeter.reports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import com.fasterxml.jackson.databind.SerializationFeature;

import lossmeter.reports.html.ReportPage;
import lossmeter.reports.junit.JUnitXml;
import lossmeter.reports.model.Comparison;
import lossmeter.reports.model.ResultsDir;
import lossmeter.reports.model.ResultsFiles;

/**
 * The reports module's entry points: render a results dir (report.html and junit.xml, written next
 * to its results.json), and record a comparison with a baseline (comparison.json) so the report
 * shows it. Both {@code lossmeter report DIR} and the end of {@code lossmeter run} come here.
 */
public final class Reports {
    public static final String HTML = "report.html";
    public static final String JUNIT = JUnitXml.FILE;
    /** The JSON Schema of results.json, on the classpath and (a copy) in docs/. */
    public static final String SCHEMA_RESOURCE = "/lossmeter/reports/results.schema.json";

    private Reports() {
    }

    /** The files written. */
    public record Written(Path html, Path junit) {
    }

    public static Written write(Path dir) throws IOException {
        ResultsDir d = ResultsDir.read(dir);
        Path html = dir.resolve(HTML);
        Path junit = dir.resolve(JUNIT);
        replace(html, ReportPage.render(d));
        replace(junit, JUnitXml.render(d));
        return new Written(html, junit);
    }

    public static void writeComparison(Path dir, Comparison c) throws IOException {
        replace(dir.resolve(ResultsFiles.COMPARISON),
                ResultsDir.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(c) + "\n");
    }

    /** Written to a temp file and renamed, so a reader never sees half a report. */
    private static void replace(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
