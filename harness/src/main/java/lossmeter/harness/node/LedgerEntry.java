package lossmeter.harness.node;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * One file of a run's ledger: a process group (pending until it has a group id and start time),
 * a mount point or a temp dir. Plain {@code key=value} files, replaced atomically, so a harness
 * killed mid-write leaves the previous content or none, never half of it.
 */
record LedgerEntry(Path file, Kind kind, Properties props) {
    enum Kind {
        GROUP, MOUNT, TEMP;

        String prefix() {
            return name().toLowerCase(Locale.ROOT) + "-";
        }
    }

    static Optional<LedgerEntry> read(Path file) {
        String name = file.getFileName().toString();
        for (Kind k : Kind.values()) {
            if (!name.startsWith(k.prefix()) || name.endsWith(".tmp")) continue;
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                return Optional.empty(); // removed meanwhile, or not ours
            }
            return Optional.of(new LedgerEntry(file, k, p));
        }
        return Optional.empty();
    }

    /** Group id of a started group; -1 while pending (written before the process existed). */
    long pgid() {
        return Long.parseLong(props.getProperty("pgid", "-1"));
    }

    long startTime() {
        return Long.parseLong(props.getProperty("start", "-1"));
    }

    Path path() {
        return Path.of(props.getProperty("path"));
    }

    /** For people: what this entry is. */
    String what() {
        return switch (kind) {
            case GROUP -> pgid() < 0 ? "a process group being started (" + props.getProperty("command") + ")"
                    : "process group " + pgid() + " (" + props.getProperty("command") + ")";
            case MOUNT -> "mount " + path();
            case TEMP -> "temp dir " + path();
        };
    }

    void write() {
        write(file, props);
    }

    static void write(Path file, Properties props) {
        StringWriter w = new StringWriter();
        try {
            props.store(w, null);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, w.toString(), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ledger entry " + file, e);
        }
    }

    void remove() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the ledger entry " + file, e);
        }
    }
}
