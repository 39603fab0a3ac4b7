package lossmeter.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The results dirs this module names itself ({@code target/lossmeter/<name>}), replaced on every run. */
final class ResultsDirs {
    private ResultsDirs() {
    }

    /**
     * Removes an earlier campaign's dir of the same name, so a test can run again; only a dir that
     * looks like a results dir (or is empty) is removed, never anything else a user pointed us at.
     */
    static void replace(Path dir) {
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> top = Files.list(dir)) {
            boolean ours = top.allMatch(p -> {
                String n = p.getFileName().toString();
                return n.equals("trials") || n.endsWith(".json") || n.endsWith(".html") || n.endsWith(".xml") || n.equals(".lock");
            });
            if (!ours) throw new LossmeterException(dir + " holds files that are not lossmeter results; not replacing it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the earlier results in " + dir, e);
        }
    }
}
