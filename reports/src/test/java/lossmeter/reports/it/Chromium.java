package lossmeter.reports.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.core.ConditionTimeoutException;

/**
 * Headless Chromium for tests: each call starts one browser with a fresh profile and no network
 * services, waits for it to exit (Awaitility), and on a timeout stops that browser's own process
 * tree by pid, never anything else.
 */
final class Chromium {
    /** What one run printed: stdout (e.g. the DOM) and stderr (the log, console messages included). */
    record Output(String stdout, String stderr) {
    }

    private final Path binary;
    private final Path work;

    Chromium(Path binary, Path work) {
        this.binary = binary;
        this.work = work;
    }

    Output run(String name, String... args) throws IOException {
        Path profile = Files.createTempDirectory(work, "profile-");
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0"));
        cmd.addAll(List.of(args));
        Path out = work.resolve(name + ".stdout");
        Path err = work.resolve(name + ".stderr");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> !p.isAlive());
        } catch (ConditionTimeoutException e) {
            stop(p.toHandle());
            throw new IOException("chromium did not finish within 90 s: " + String.join(" ", cmd), e);
        } finally {
            if (p.isAlive()) stop(p.toHandle());
        }
        return new Output(Files.readString(out), Files.readString(err));
    }

    /** Stops a process and its descendants, children first, each by its own pid. */
    private static void stop(ProcessHandle h) {
        h.descendants().forEach(ProcessHandle::destroyForcibly);
        h.destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> !h.isAlive());
    }
}
