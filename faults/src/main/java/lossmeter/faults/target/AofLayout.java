package lossmeter.faults.target;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import lossmeter.faults.node.Node;

/**
 * Where a data dir keeps its append-only log, in either layout a Redis-style server uses: one
 * {@code appendonly.aof} file (Redis ≤ 6, the bundled server), or Redis 7's
 * {@code appendonlydir/} holding base, history and incremental files listed by a manifest. File
 * faults (truncation, bit flips, torn tails) pick their victims from here, so they work on both.
 */
public record AofLayout(Kind kind, Path manifest, List<Part> parts) {
    public enum Kind {
        /** No append-only file yet. */
        NONE,
        /** A single {@code appendonly.aof}. */
        SINGLE_FILE,
        /** Redis 7's {@code appendonlydir/} with a manifest. */
        MULTI_PART
    }

    /** One file of the log: {@code type} is {@code b} (base), {@code h} (history) or {@code i} (incremental); {@code i} for a single file. */
    public record Part(Path file, String type, long seq) {
    }

    public static final String SINGLE_FILE_NAME = "appendonly.aof";
    public static final String DIR_NAME = "appendonlydir";

    public AofLayout {
        parts = List.copyOf(parts);
    }

    /** Reads the layout of a data dir on a node. A multi-part dir wins over a stray single file, as in Redis 7. */
    public static AofLayout detect(Node node, Path dataDir) {
        Path dir = dataDir.resolve(DIR_NAME);
        if (node.files().exists(dir)) {
            for (Path f : node.files().list(dir)) {
                if (f.getFileName().toString().endsWith(".manifest")) {
                    String text = new String(node.files().read(f), StandardCharsets.UTF_8);
                    return new AofLayout(Kind.MULTI_PART, f, parseManifest(dir, text));
                }
            }
        }
        Path single = dataDir.resolve(SINGLE_FILE_NAME);
        if (node.files().exists(single)) return new AofLayout(Kind.SINGLE_FILE, null, List.of(new Part(single, "i", 1)));
        return new AofLayout(Kind.NONE, null, List.of());
    }

    /** Parses manifest lines {@code file <name> seq <n> type <b|h|i>} (keys in any order). */
    static List<Part> parseManifest(Path dir, String text) {
        List<Part> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] w = line.trim().split("\\s+");
            if (w.length < 2 || line.trim().startsWith("#")) continue;
            String file = null;
            String type = "i";
            long seq = 0;
            for (int i = 0; i + 1 < w.length; i += 2) {
                switch (w[i]) {
                    case "file" -> file = unquote(w[i + 1]);
                    case "type" -> type = w[i + 1];
                    case "seq" -> seq = Long.parseLong(w[i + 1]);
                    default -> {
                        // Unknown keys are skipped, as Redis does for forward compatibility.
                    }
                }
            }
            if (file != null) out.add(new Part(dir.resolve(file), type, seq));
        }
        return out;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /** The file new writes go to: the last incremental part (where unsynced tails and torn writes live). */
    public Path tail() {
        for (int i = parts.size() - 1; i >= 0; i--) {
            if (parts.get(i).type().equals("i")) return parts.get(i).file();
        }
        return parts.isEmpty() ? null : parts.get(parts.size() - 1).file();
    }
}
