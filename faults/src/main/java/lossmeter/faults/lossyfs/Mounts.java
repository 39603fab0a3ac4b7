package lossmeter.faults.lossyfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What is mounted where, from /proc/self/mountinfo, and the lazy unmount of one exact path. A
 * mount left by a killed lossyfs answers every access with ENOTCONN, so paths are compared as
 * written (absolute, normalised), never resolved through the file system.
 */
public final class Mounts {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private Mounts() {
    }

    /** One line of mountinfo: the mount point, the file system type (e.g. fuse.lossyfs) and source. */
    public record Entry(Path mountPoint, String fsType, String source) {
        public boolean isFuse() {
            return fsType.equals("fuse") || fsType.startsWith("fuse.");
        }
    }

    /** The topmost mount at exactly {@code path}, if any. */
    public static Optional<Entry> at(Path path) throws IOException {
        Path wanted = path.toAbsolutePath().normalize();
        Entry found = null;
        for (String line : Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8)) {
            Entry e = parse(line);
            if (e != null && e.mountPoint().equals(wanted)) found = e; // later lines are mounted on top
        }
        return Optional.ofNullable(found);
    }

    /** The topmost mount at exactly {@code path} in a mountinfo text read elsewhere (another node's). */
    public static Optional<Entry> at(Path path, String mountinfo) {
        Entry found = null;
        for (String line : mountinfo.split("\n")) {
            Entry e = parse(line);
            if (e != null && e.mountPoint().equals(path.normalize())) found = e;
        }
        return Optional.ofNullable(found);
    }

    static Entry parse(String line) {
        String[] f = line.split(" ");
        int dash = List.of(f).indexOf("-");
        if (f.length < 5 || dash < 0 || dash + 2 >= f.length) return null;
        return new Entry(Path.of(unescape(f[4])), unescape(f[dash + 1]), unescape(f[dash + 2]));
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes (\040 …). */
    static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * Detaches the FUSE mount at exactly {@code path} ({@code fusermount3 -u -z}, then
     * {@code umount -l} when fusermount3 is missing or refuses) and reports whether it is gone.
     */
    public static boolean lazyUnmount(Path path) throws IOException {
        String p = path.toAbsolutePath().normalize().toString();
        if (at(path).isEmpty()) return true;
        run(List.of("fusermount3", "-u", "-z", p));
        if (at(path).isEmpty()) return true;
        run(List.of("umount", "-l", p));
        return at(path).isEmpty();
    }

    private static void run(List<String> command) {
        try {
            Process proc = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!proc.waitFor(30, TimeUnit.SECONDS)) proc.destroyForcibly();
        } catch (IOException e) {
            // Not installed: the caller tries the next way and checks mountinfo either way.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
