package lossmeter.server.rdb;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code check-rdb FILE}: validates an RDB file's structure and checksum and reports it in
 * redis-check-rdb's words and layout. Exit status 0 when it looks OK, 1 when it does not (or
 * cannot be read), 2 on a usage error.
 */
public final class RdbCheck {
    private RdbCheck() {
    }

    public static int main(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 1 || args[0].startsWith("-")) {
            err.println("Usage: lossmeter check-rdb <rdb-file-name>");
            return 2;
        }
        return check(Path.of(args[0]), args[0], out, System.currentTimeMillis());
    }

    /** Checks the file; {@code name} is how the report names it. */
    static int check(Path file, String name, PrintStream out, long now) {
        return checkPrefix(file, name, out, now) < 0 ? 1 : 0;
    }

    /**
     * Checks the RDB at the start of {@code file} (a dump, or the preamble of an AOF) with the same
     * report; returns the offset just after it (checksum included), or -1 when it is not sane.
     */
    public static long checkPrefix(Path file, String name, PrintStream out, long now) {
        out.println("[offset 0] Checking RDB file " + name);
        Counts counts = new Counts();
        RdbParser parser = null;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            parser = new RdbParser(RdbInput.of(ch, 0), true);
            long end = parser.parse(new RdbVisitor() {
                @Override
                public void aux(String key, String value, long offset) {
                    out.println("[offset " + offset + "] AUX FIELD " + key + " = '" + value + "'");
                }

                @Override
                public void selectDb(long id, long offset) {
                    out.println("[offset " + offset + "] Selecting DB ID " + id);
                }

                @Override
                public void entry(byte[] key, Object value, long expireAt) {
                    if (expireAt != -1) {
                        counts.expires++;
                        if (expireAt < now) counts.alreadyExpired++;
                    }
                }

                @Override
                public void checksum(boolean verified, long offset) {
                    out.println("[offset " + offset + "] " + (verified ? "Checksum OK"
                            : "RDB file was saved with checksum disabled: no check performed."));
                }
            });
            out.println("[offset " + end + "] \\o/ RDB looks OK! \\o/");
            info(out, parser.keysRead(), counts);
            return end;
        } catch (RdbException e) {
            out.println("--- RDB ERROR DETECTED ---");
            out.println("[offset " + e.offset() + "] " + e.reason());
            out.println("[additional info] While doing: " + e.doing());
            if (e.key() != null) out.println("[additional info] Reading key '" + e.key() + "'");
            if (e.type() >= 0) out.println("[additional info] Reading type " + e.type() + " (" + RdbFormat.typeName(e.type()) + ")");
            info(out, parser == null ? 0 : parser.keysRead(), counts);
            return -1;
        } catch (IOException e) {
            out.println("--- RDB ERROR DETECTED ---");
            out.println("[offset " + (parser == null ? 0 : parser.position()) + "] Cannot read the file: " + RdbWriter.reason(e));
            info(out, parser == null ? 0 : parser.keysRead(), counts);
            return -1;
        }
    }

    private static final class Counts {
        long expires;
        long alreadyExpired;
    }

    private static void info(PrintStream out, long keys, Counts c) {
        out.println("[info] " + keys + " keys read");
        out.println("[info] " + c.expires + " expires");
        out.println("[info] " + c.alreadyExpired + " already expired");
    }
}
