package lossmeter.faults.lossyfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture: lossyfs processes and child commands started by a test, each stopped by its own
 * id afterwards, also when the test failed.
 */
final class MountedFs implements AutoCloseable {
    private final Path root;
    private final List<LossyFsProcess> mounts = new ArrayList<>();
    private final List<Process> children = new ArrayList<>();
    private int count;

    MountedFs(Path root) {
        this.root = root;
    }

    /** A fresh backing + mount dir pair named {@code name}, the backing prepared by {@code setup}. */
    LossyFsProcess mount(String name, MetadataMode mode, IoSetup setup) throws IOException {
        Path dir = Files.createDirectories(root.resolve(name + "-" + count++));
        Path backing = Files.createDirectories(dir.resolve("backing"));
        Path mount = Files.createDirectories(dir.resolve("mnt"));
        setup.prepare(backing);
        return start(LossyFsProcess.Options.of(backing, mount, dir.resolve("control.sock")).withMetadata(mode));
    }

    LossyFsProcess start(LossyFsProcess.Options options) throws IOException {
        LossyFsProcess p = LossyFsProcess.start(options, options.control().resolveSibling("lossyfs-" + count++ + ".log"));
        mounts.add(p);
        return p;
    }

    /** Runs a command to completion (at most 60 s); returns its exit status and output. */
    Result run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        children.add(p);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) throw new IllegalStateException("still running: " + List.of(command));
        return new Result(p.exitValue(), out);
    }

    /** Starts a long-running child (e.g. redis-server) that close() ends by its pid. */
    Process spawn(Path log, String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        children.add(p);
        return p;
    }

    record Result(int status, String output) {
    }

    interface IoSetup {
        void prepare(Path backing) throws IOException;
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        // Children first: a process with files open in the mount would keep it busy.
        for (Process p : children) {
            p.destroyForcibly();
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (LossyFsProcess m : mounts) {
            try {
                m.stop();
            } catch (IOException e) {
                if (failure == null) failure = e;
            }
        }
        if (failure != null) throw failure;
    }

    static Duration patience() {
        return Duration.ofSeconds(30);
    }
}
