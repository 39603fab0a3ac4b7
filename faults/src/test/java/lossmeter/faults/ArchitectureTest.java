package lossmeter.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The faults module's packages form no cycle (faults → target → node; node depends on none), and
 * no file names the harness, the reports or the bundled server: the harness wires faults in, never
 * the other way round.
 */
class ArchitectureTest {
    private static final Path SOURCES = Path.of("src/main/java/lossmeter/faults");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?lossmeter\\.faults\\.(\\w+)\\.", Pattern.MULTILINE);
    private static final Pattern FORBIDDEN = Pattern.compile("\\blossmeter\\.(harness|reports|server)\\.");
    /** The package lossmeter.faults itself, as a node of the graph. */
    private static final String ROOT = "(faults)";

    @Test
    void packagesHaveNoCycles() throws IOException {
        Map<String, Set<String>> deps = dependencies();
        assertThat(deps).containsKeys(ROOT, "node", "target");
        for (String from : deps.keySet()) {
            assertThat(reachable(deps, from)).as("packages reachable from %s (a cycle if it includes itself)", from)
                    .doesNotContain(from);
        }
        assertThat(deps.get("node")).isEmpty();
    }

    @Test
    void nothingNamesTheHarnessReportsOrServer() throws IOException {
        for (Path f : sources()) {
            assertThat(FORBIDDEN.matcher(Files.readString(f)).find()).as("%s names a module faults must not depend on", f).isFalse();
        }
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> s = Files.walk(SOURCES)) {
            return s.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    private static Map<String, Set<String>> dependencies() throws IOException {
        Map<String, Set<String>> deps = new TreeMap<>();
        for (Path f : sources()) {
            Path rel = SOURCES.relativize(f);
            String pkg = rel.getNameCount() == 1 ? ROOT : rel.getName(0).toString();
            Set<String> d = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
            String text = Files.readString(f);
            Matcher m = IMPORT.matcher(text);
            while (m.find()) {
                String to = Character.isUpperCase(m.group(1).charAt(0)) ? ROOT : m.group(1);
                if (!to.equals(pkg)) d.add(to);
            }
            // Same-package types need no import; a subpackage naming a root type does.
            if (!pkg.equals(ROOT) && Pattern.compile("^import lossmeter\\.faults\\.[A-Z]", Pattern.MULTILINE).matcher(text).find()) d.add(ROOT);
        }
        return deps;
    }

    private static Set<String> reachable(Map<String, Set<String>> deps, String from) {
        Set<String> seen = new TreeSet<>();
        List<String> todo = new ArrayList<>(deps.getOrDefault(from, Set.of()));
        while (!todo.isEmpty()) {
            String p = todo.remove(todo.size() - 1);
            if (seen.add(p)) todo.addAll(deps.getOrDefault(p, Set.of()));
        }
        return seen;
    }
}
