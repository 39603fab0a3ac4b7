package lossmeter.harness.node;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import lossmeter.faults.node.NodeException;
import lossmeter.faults.node.NodeFiles;

/** This machine's files through java.nio: the files of a {@link LocalNode}. */
final class LocalFiles implements NodeFiles {
    @Override
    public boolean exists(Path path) {
        return Files.exists(path);
    }

    @Override
    public byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new NodeException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void write(Path file, byte[] content) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.write(file, content);
        } catch (IOException e) {
            throw new NodeException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void truncate(Path file, long size) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        } catch (IOException e) {
            throw new NodeException("cannot truncate " + file + " to " + size + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new NodeException("cannot stat " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void copy(Path from, Path to) {
        FileTrees.copy(from, to);
    }

    @Override
    public List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new NodeException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new NodeException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(Path path) {
        FileTrees.delete(path);
    }

    @Override
    public void fetch(Path onNode, Path local) {
        if (onNode.toAbsolutePath().normalize().equals(local.toAbsolutePath().normalize())) return;
        FileTrees.copy(onNode, local);
    }
}
