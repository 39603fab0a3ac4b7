package lossmeter.harness;

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
 * The harness's packages depend on each other in one direction (cli → run → target → node,
 * client → target), with no cycles, so each concern can be read and replaced on its own. The
 * fault, node and target interfaces they share live in the faults module (its own test).
 */
class ArchitectureTest {
    private static final Path SOURCES = Path.of("src/main/java/lossmeter/harness");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?lossmeter\\.harness\\.(\\w+)\\.", Pattern.MULTILINE);

    @Test
    void packagesHaveNoCycles() throws IOException {
        Map<String, Set<String>> deps = dependencies();
        assertThat(deps).containsKeys("node", "target", "client", "run", "cli");
        for (String from : deps.keySet()) {
            assertThat(reachable(deps, from)).as("packages reachable from %s (a cycle if it includes itself)", from)
                    .doesNotContain(from);
        }
    }

    @Test
    void nodeDependsOnNoOtherHarnessPackage() throws IOException {
        assertThat(dependencies().get("node")).isEmpty();
    }

    private static Map<String, Set<String>> dependencies() throws IOException {
        Map<String, Set<String>> deps = new TreeMap<>();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(SOURCES)) {
            s.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
        }
        for (Path f : files) {
            String pkg = SOURCES.relativize(f).getName(0).toString();
            Set<String> d = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
            Matcher m = IMPORT.matcher(Files.readString(f));
            while (m.find()) {
                if (!m.group(1).equals(pkg)) d.add(m.group(1));
            }
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
