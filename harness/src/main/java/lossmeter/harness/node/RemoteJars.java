package lossmeter.harness.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import lossmeter.faults.node.NodeException;

/**
 * lossmeter's own classes on a node that is not this machine (over SSH, in a container image): each class path entry of the harness's machine (a jar,
 * the jars its manifest names, or a class directory packed into a jar with fixed timestamps) is
 * copied once to {@code <work>/jars/<sha-256>.jar} on the node and reused by every later run with
 * the same content. Uploads go to a temporary name and are renamed, so a run killed mid-copy never
 * leaves a truncated jar under a hash.
 */
public final class RemoteJars {
    /** Packed class directories and content hashes, shared by every node of this JVM. */
    private static final Map<Path, Path> PACKED = new ConcurrentHashMap<>();
    private static final Map<String, String> HASHES = new ConcurrentHashMap<>();

    public interface Store {
        /** The names of the files in the node's jar dir (it may not exist yet). */
        Set<String> present(Path dir);

        /** Copies a local file to the node, to a temporary name and then to {@code to}. */
        void upload(Path local, Path to);
    }

    private final Path dir;
    private final Store store;
    private final Map<Path, Path> uploaded = new ConcurrentHashMap<>();

    /** Jars under {@code <workDir>/jars} on a node, kept in {@code store}. */
    public RemoteJars(Path workDir, Store store) {
        this.dir = workDir.resolve("jars");
        this.store = store;
    }

    /** The node's paths of {@code classpath}'s entries, uploading what the node lacks. */
    public synchronized List<Path> onNode(List<Path> classpath) {
        List<Path> local = expand(classpath);
        Set<String> present = null;
        List<Path> out = new ArrayList<>();
        for (Path entry : local) {
            Path known = uploaded.get(entry);
            if (known == null) {
                Path jar = Files.isDirectory(entry) ? packed(entry) : entry;
                String name = hash(jar) + ".jar";
                if (present == null) present = store.present(dir);
                known = dir.resolve(name);
                if (!present.contains(name)) {
                    store.upload(jar, known);
                    present.add(name);
                }
                uploaded.put(entry, known);
            }
            out.add(known);
        }
        return out;
    }

    /** The entries that exist, with the jars named by jar manifests' Class-Path added after their jar; test class dirs left out. */
    public static List<Path> expand(List<Path> classpath) {
        Set<Path> out = new LinkedHashSet<>();
        for (Path p : classpath) add(p.toAbsolutePath().normalize(), out);
        return new ArrayList<>(out);
    }

    private static void add(Path p, Set<Path> out) {
        if (!Files.exists(p) || out.contains(p)) return;
        if (Files.isDirectory(p)) {
            if (!p.getFileName().toString().equals("test-classes")) out.add(p);
            return;
        }
        out.add(p);
        try (JarFile jar = new JarFile(p.toFile())) {
            var manifest = jar.getManifest();
            String cp = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (cp == null) return;
            for (String ref : cp.trim().split("\\s+")) {
                if (!ref.isEmpty() && !ref.contains(":")) add(p.getParent().resolve(ref).normalize(), out);
            }
        } catch (IOException e) {
            throw new NodeException("cannot read the jar " + p + ": " + e.getMessage(), e);
        }
    }

    /** A class directory as a jar with sorted entries and fixed times, so its hash depends on the content only. */
    public static Path packed(Path classDir) {
        return PACKED.computeIfAbsent(classDir, d -> {
            try {
                TreeMap<String, Path> files = new TreeMap<>();
                Files.walkFileTree(d, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        files.put(d.relativize(file).toString().replace('\\', '/'), file);
                        return FileVisitResult.CONTINUE;
                    }
                });
                Path jar = Files.createTempFile("lossmeter-classes-", ".jar");
                jar.toFile().deleteOnExit();
                try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
                    for (var e : files.entrySet()) {
                        ZipEntry z = new ZipEntry(e.getKey());
                        z.setTime(0);
                        zip.putNextEntry(z);
                        Files.copy(e.getValue(), zip);
                        zip.closeEntry();
                    }
                }
                return jar;
            } catch (IOException e) {
                throw new NodeException("cannot pack " + d + " into a jar: " + e.getMessage(), e);
            }
        });
    }

    public static String hash(Path file) {
        String key;
        try {
            key = file + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new NodeException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return HASHES.computeIfAbsent(key, k -> {
            try (InputStream in = Files.newInputStream(file)) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
                return HexFormat.of().formatHex(md.digest());
            } catch (IOException e) {
                throw new NodeException("cannot read " + file + ": " + e.getMessage(), e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
