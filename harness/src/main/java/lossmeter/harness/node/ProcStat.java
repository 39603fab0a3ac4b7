package lossmeter.harness.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One line of {@code /proc/PID/stat}: what identifies a process over time. A pid alone is reused by
 * the kernel; a pid with its start time (clock ticks after boot) names one process for good, so
 * the ledger keeps both and checks both before it signals anything.
 */
record ProcStat(long pid, String state, long ppid, long pgrp, long startTime) {
    private static final Path PROC = Path.of("/proc");

    /** The process now running as {@code pid}, if any. */
    static Optional<ProcStat> of(long pid) {
        try {
            return parse(pid, Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.US_ASCII));
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty(); // exited while we looked
        }
    }

    /** This JVM. */
    static ProcStat self() {
        return of(ProcessHandle.current().pid()).orElseThrow(() -> new IllegalStateException("no /proc/self/stat"));
    }

    static Optional<ProcStat> parse(long pid, String stat) {
        // "pid (comm) S ppid pgrp …": comm may hold spaces and parentheses, so parse after the last ')'.
        int close = stat.lastIndexOf(')');
        if (close < 0 || close + 2 > stat.length()) return Optional.empty();
        String[] f = stat.substring(close + 2).trim().split(" ");
        // Fields from the state on: state(3) ppid(4) pgrp(5) … starttime(22), so index = field - 3.
        if (f.length < 20) return Optional.empty();
        return Optional.of(new ProcStat(pid, f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[19])));
    }

    /** Not a zombie: it can still hold files, a port or a mount. */
    boolean live() {
        return !state.equals("Z") && !state.equals("X");
    }

    /** Whether the process that is {@code pid} now is the one that started at {@code startTime}. */
    static boolean same(long pid, long startTime) {
        return of(pid).map(s -> s.live() && s.startTime() == startTime).orElse(false);
    }

    /** Every live process on this machine. */
    static List<ProcStat> all() {
        try (Stream<Path> procs = Files.list(PROC)) {
            return procs.map(p -> p.getFileName().toString()).filter(n -> !n.isEmpty() && Character.isDigit(n.charAt(0)))
                    .map(n -> of(Long.parseLong(n))).flatMap(Optional::stream).filter(ProcStat::live).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list /proc", e);
        }
    }

    /** Whether this process's environment holds exactly {@code entry} ({@code NAME=value}); false when unreadable. */
    boolean environHas(String entry) {
        byte[] env;
        try {
            env = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"));
        } catch (IOException | UncheckedIOException e) {
            return false; // gone, or another user's
        }
        for (String e : new String(env, StandardCharsets.UTF_8).split("\0")) {
            if (e.equals(entry)) return true;
        }
        return false;
    }
}
