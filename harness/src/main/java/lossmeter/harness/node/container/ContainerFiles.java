package lossmeter.harness.node.container;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import lossmeter.faults.node.NodeException;
import lossmeter.faults.node.NodeFiles;

/**
 * A container's files, through busybox commands run in it: they see the container's mounts as its
 * processes do (lossyfs over the data dir included), which the daemon's archive API does not.
 */
final class ContainerFiles implements NodeFiles {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Content per command: an argument may hold 128 KiB, base64 grows by a third. */
    private static final int CHUNK = 64 * 1024;
    private final ContainerNode node;

    ContainerFiles(ContainerNode node) {
        this.node = node;
    }

    private Exec.Result bb(String what, Path path, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Exec.BUSYBOX));
        cmd.addAll(List.of(args));
        return node.exec(cmd, TIMEOUT);
    }

    private Exec.Result must(String what, Path path, String... args) {
        Exec.Result r = bb(what, path, args);
        if (!r.ok()) throw new NodeException("cannot " + what + " " + path + " in " + node.name() + ": " + r.output().strip());
        return r;
    }

    @Override
    public boolean exists(Path path) {
        return bb("test", path, "test", "-e", path.toString()).ok();
    }

    @Override
    public byte[] read(Path file) {
        return must("read", file, "cat", "--", file.toString()).stdout();
    }

    @Override
    public void write(Path file, byte[] content) {
        Path part = file.resolveSibling(file.getFileName() + ".part");
        String b = Exec.BUSYBOX;
        String parent = file.getParent() == null ? "/" : file.getParent().toString();
        // One command for what fits in one argument (configs, scripts); chunks appended for the rest.
        int first = Math.min(content.length, CHUNK);
        String head = b + " mkdir -p \"$0\" && printf %s \"$3\" | " + b + " base64 -d > \"$1\"";
        String tail = " && " + b + " mv -f -- \"$1\" \"$2\"";
        boolean whole = first == content.length;
        must("write", file, "sh", "-c", head + (whole ? tail : ""), parent, part.toString(), file.toString(),
                Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(content, 0, first)));
        if (whole) return;
        for (int off = first; off < content.length; off += CHUNK) {
            byte[] chunk = java.util.Arrays.copyOfRange(content, off, Math.min(content.length, off + CHUNK));
            must("write", file, "sh", "-c", "printf %s \"$1\" | " + b + " base64 -d >> \"$0\"", part.toString(),
                    Base64.getEncoder().encodeToString(chunk));
        }
        must("write", file, "mv", "-f", "--", part.toString(), file.toString());
    }

    @Override
    public void truncate(Path file, long size) {
        must("truncate", file, "truncate", "-s", Long.toString(size), file.toString());
    }

    @Override
    public long size(Path file) {
        return Long.parseLong(must("stat", file, "stat", "-c", "%s", file.toString()).out().strip());
    }

    @Override
    public void copy(Path from, Path to) {
        if (to.getParent() != null) mkdirs(to.getParent());
        must("copy", from, "cp", "-a", from.toString(), to.toString());
    }

    @Override
    public List<Path> list(Path dir) {
        return must("list", dir, "ls", "-1A", dir.toString()).out().lines().filter(l -> !l.isEmpty()).sorted().map(dir::resolve).toList();
    }

    @Override
    public void mkdirs(Path dir) {
        must("create", dir, "mkdir", "-p", dir.toString());
    }

    @Override
    public void delete(Path path) {
        must("delete", path, "rm", "-rf", path.toString());
    }

    @Override
    public void fetch(Path onNode, Path local) {
        Path parent = onNode.getParent() == null ? Path.of("/") : onNode.getParent();
        byte[] tar = must("copy back", onNode, "tar", "-c", "-C", parent.toString(), onNode.getFileName().toString()).stdout();
        String top = onNode.getFileName().toString();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                String name = e.getName();
                String rest = name.equals(top) || name.equals(top + "/") ? "" : name.substring(top.length() + 1);
                Path to = rest.isEmpty() ? local : local.resolve(rest).normalize();
                if (!to.startsWith(local)) throw new NodeException("refusing " + name + " from " + node.name() + ": outside " + onNode);
                if (e.isDirectory()) {
                    Files.createDirectories(to);
                } else if (e.isSymbolicLink()) {
                    Files.createDirectories(to.getParent());
                    Files.createSymbolicLink(to, Path.of(e.getLinkName()));
                } else if (e.isFile()) {
                    Files.createDirectories(to.getParent());
                    Files.copy((InputStream) in, to);
                }
            }
        } catch (IOException e) {
            throw new NodeException("cannot copy " + onNode + " back from " + node.name() + " to " + local + ": " + e.getMessage(), e);
        }
    }
}
