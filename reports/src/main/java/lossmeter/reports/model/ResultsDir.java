package lossmeter.reports.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * A campaign's results dir read into the report model: results.json, and every trial dir under
 * {@code trials/}. The same reader serves {@code lossmeter report DIR} and the end of
 * {@code lossmeter run}, so both draw the same page. Histories are not loaded here: they can hold a
 * million ops, and {@link HistorySample} streams only what a chart needs.
 */
public record ResultsDir(Path dir, Results results, List<Trial> trials, Comparison comparison) {
    /** Jackson set up for the results files: unknown fields ignored (the harness may add some), absent ones null. */
    public static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    public ResultsDir {
        trials = List.copyOf(trials);
    }

    public static ResultsDir read(Path dir) throws IOException {
        Path rj = dir.resolve(ResultsFiles.RESULTS);
        if (!Files.isRegularFile(rj)) throw new IOException(dir + " is not a results dir: it has no " + ResultsFiles.RESULTS);
        Results results = JSON.readValue(rj.toFile(), Results.class);
        Map<String, TrialSummary> summaries = new LinkedHashMap<>();
        for (TrialSummary s : results.trials()) summaries.put(s.trial(), s);
        List<Trial> trials = new ArrayList<>();
        Path td = dir.resolve(ResultsFiles.TRIALS);
        List<String> ids = new ArrayList<>(summaries.keySet());
        if (Files.isDirectory(td)) {
            try (Stream<Path> s = Files.list(td)) {
                s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted()
                        .filter(id -> !summaries.containsKey(id)).forEach(ids::add);
            }
        }
        for (String id : ids) trials.add(readTrial(dir, td.resolve(id), id, summaries.get(id)));
        Path cmp = dir.resolve(ResultsFiles.COMPARISON);
        Comparison comparison = Files.isRegularFile(cmp) ? JSON.readValue(cmp.toFile(), Comparison.class) : null;
        return new ResultsDir(dir, results, trials, comparison);
    }

    private static Trial readTrial(Path root, Path dir, String id, TrialSummary summary) throws IOException {
        TrialVerdict verdict = null;
        List<CrashRecord> crashes = List.of();
        List<String> files = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            Path v = dir.resolve(ResultsFiles.VERDICT);
            if (Files.isRegularFile(v)) verdict = JSON.readValue(v.toFile(), TrialVerdict.class);
            Path c = dir.resolve(ResultsFiles.CRASHES);
            if (Files.isRegularFile(c)) {
                // Bound to records, so the recovered states (which can be large) are skipped, never built as trees.
                CrashesFile f = JSON.readValue(c.toFile(), CrashesFile.class);
                if (f.crashes() != null) crashes = f.crashes();
            }
            try (Stream<Path> s = Files.list(dir)) {
                s.sorted(Comparator.comparing(Path::toString))
                        .forEach(p -> files.add(root.relativize(p).toString().replace('\\', '/') + (Files.isDirectory(p) ? "/" : "")));
            }
        }
        return new Trial(id, dir, summary, verdict, crashes, files);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record CrashesFile(List<CrashRecord> crashes) {
    }

    public List<Trial> trialsOf(Cell cell) {
        return trials.stream().filter(t -> t.cellKey().equals(cell.key())).toList();
    }

    public Trial trial(String id) {
        return trials.stream().filter(t -> t.id().equals(id)).findFirst().orElse(null);
    }
}
