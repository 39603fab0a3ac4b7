package lossmeter.faults.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A node for unit tests: files are real (java.nio on this machine, usually under a temp dir),
 * processes are not — starts and signals are recorded, and short commands are answered by a
 * function the test supplies.
 */
public final class FakeNode implements Node, NodeFiles, Mounting {
    public final List<String> calls = new ArrayList<>();
    private Function<List<String>, CommandResult> commands = c -> new CommandResult(0, "");

    public FakeNode answering(Function<List<String>, CommandResult> commands) {
        this.commands = commands;
        return this;
    }

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public synchronized CommandResult run(List<String> command, Duration timeout) {
        calls.add("run " + String.join(" ", command));
        return commands.apply(command);
    }

    @Override
    public synchronized NodeProcess start(List<String> command, Path cwd, Map<String, String> env, Path log) {
        calls.add("start " + String.join(" ", command));
        return new NodeProcess(4242, 4242, command, log);
    }

    @Override
    public synchronized void signal(NodeProcess process, Signal signal) {
        calls.add("signal " + signal + " " + process.pgid());
    }

    @Override
    public boolean alive(NodeProcess process) {
        return false;
    }

    @Override
    public void forget(NodeProcess process) {
    }

    @Override
    public NodeFiles files() {
        return this;
    }

    @Override
    public String address() {
        return "127.0.0.1";
    }

    @Override
    public int freePort() {
        return 6379;
    }

    @Override
    public Path trialDir(Path resultsDir) {
        return resultsDir;
    }

    @Override
    public void fetch(Path onNode, Path local) {
        throw new UnsupportedOperationException("not needed by fault tests");
    }

    @Override
    public boolean mounted(Path mountpoint) {
        return false;
    }

    @Override
    public synchronized Cleanup unmountAtExit(Path mountpoint) {
        return atExit("unmount " + mountpoint, () -> unmount(mountpoint));
    }

    @Override
    public boolean exists(Path path) {
        return Files.exists(path);
    }

    @Override
    public byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void truncate(Path file, long size) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void copy(Path from, Path to) {
        throw new UnsupportedOperationException("not needed by fault tests");
    }

    @Override
    public List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void delete(Path path) {
        if (!Files.exists(path)) return;
        try (Stream<Path> s = Files.walk(path)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void mount(String type, String source, Path mountpoint, String options) {
        calls.add("mount " + type + " " + mountpoint);
    }

    @Override
    public synchronized void unmount(Path mountpoint) {
        calls.add("unmount " + mountpoint);
    }

    @Override
    public synchronized Cleanup atExit(String what, Runnable action) {
        calls.add("atExit " + what);
        boolean[] done = {false};
        return () -> {
            if (done[0]) return;
            done[0] = true;
            action.run();
        };
    }

    @Override
    public Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<String> sweep() {
        return List.of();
    }

    @Override
    public void close() {
    }
}
