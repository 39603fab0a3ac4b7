package lossmeter.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The server's packages depend on each other without cycles (e.g. aof may use rdb for the
 * preamble only because the persistence orchestration, which needs the command layer, lives in
 * its own package), read from the imports of the main sources.
 */
class PackageCycleTest {
    private static final Path SOURCES = Path.of("src/main/java/lossmeter/server");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?lossmeter\\.server\\.([a-z]+)\\.", Pattern.MULTILINE);

    @Test
    void packagesHaveNoCycles() throws IOException {
        Map<String, Set<String>> deps = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path rel = SOURCES.relativize(f);
                if (rel.getNameCount() < 2) continue; // lossmeter.server itself wires everything
                String pkg = rel.getName(0).toString();
                Set<String> to = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) if (!m.group(1).equals(pkg)) to.add(m.group(1));
            }
        }
        assertThat(deps).containsKeys("aof", "rdb", "command", "persistence", "keyspace");
        for (String from : deps.keySet()) {
            assertThat(reachable(deps, from)).as("packages reachable from %s (a cycle if it includes itself): %s", from, deps)
                    .doesNotContain(from);
        }
    }

    private static Set<String> reachable(Map<String, Set<String>> deps, String from) {
        Set<String> seen = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>(deps.getOrDefault(from, Set.of()));
        while (!todo.isEmpty()) {
            String p = todo.pop();
            if (seen.add(p)) todo.addAll(deps.getOrDefault(p, Set.of()));
        }
        return seen;
    }
}
