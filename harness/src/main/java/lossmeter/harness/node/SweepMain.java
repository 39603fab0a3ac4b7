package lossmeter.harness.node;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;

/**
 * The sweep as its own small program, for the {@link Watchdog} of a run whose harness died: it
 * prints what it removed (the watchdog appends that to {@value #LOG} in the ledger root).
 */
public final class SweepMain {
    static final String LOG = "sweep.log";

    private SweepMain() {
    }

    static List<String> command(Path root) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                SweepMain.class.getName(), root.toString());
    }

    public static void main(String[] args) {
        Path root = Path.of(args[0]);
        List<String> removed = LedgerSweep.sweep(root);
        for (String line : removed) System.out.println(LocalDateTime.now() + " watchdog: " + line);
    }
}
