package lossmeter.harness.node.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.github.dockerjava.api.exception.NotFoundException;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import lossmeter.faults.node.JavaRuntime;
import lossmeter.faults.node.NodeException;
import lossmeter.harness.node.FileTrees;
import lossmeter.harness.node.RemoteJars;

/**
 * The image every lossmeter container runs from (or, for a user's own image, the tools volume it
 * mounts), built from this machine's files and never pulled: under {@code /.lossmeter}, a static
 * busybox (a shell and the tools the node runs), the glibc and the libraries {@code ldd} names for
 * the JVM, redis-server and libfuse3 (started through the copied loader, so they run on any
 * image, musl ones included), a Java runtime jlink'ed from the harness's JDK, the harness's jars
 * under their content hash, and redis-server when this machine has one. It is loaded under the
 * tag {@code lossmeter-node:<hash of every input>}, so it is built again only when an input
 * changes, and the docker-init of {@code --init} is its PID 1.
 */
final class NodeImage {
    static final String REPOSITORY = "lossmeter-node";
    /** Changes when the layout changes, so an old image is never taken for a new one. */
    private static final String LAYOUT = "3";
    private static final String MODULES = "java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.sql,"
            + "jdk.management,jdk.unsupported";
    static final String LIB = Exec.TOOLS + "/lib";
    static final String BIN = Exec.TOOLS + "/bin";
    static final String JARS = Exec.TOOLS + "/jars";

    private static String built;

    /** The content of the image: a relative path in the root filesystem → where its bytes come from. */
    private record Input(Map<String, Path> files, Map<String, String> links, Map<String, String> scripts, Path loader, List<Path> jars) {
    }

    private NodeImage() {
    }

    /** The image's tag, building and loading the image first when the daemon does not have it. */
    static synchronized String ensure(java.io.PrintWriter log) {
        if (built != null) return built;
        Input in = inputs();
        String tag = REPOSITORY + ":" + hash(in).substring(0, 20);
        try {
            Docker.client().inspectImageCmd(tag).exec();
            built = tag;
            return tag;
        } catch (NotFoundException absent) {
            // Build it below.
        }
        long t0 = System.nanoTime();
        if (log != null) {
            log.println("lossmeter: building the container image " + tag + " from this machine's files (once per change of its inputs)");
            log.flush();
        }
        Path work = null;
        try {
            work = Files.createTempDirectory("lossmeter-image-");
            Path jre = work.resolve("jre");
            jlink(jre);
            Path layer = work.resolve("layer.tar");
            String diffId = writeLayer(in, jre, layer);
            Path archive = work.resolve("image.tar");
            writeArchive(tag, layer, diffId, archive);
            StringBuilder said = new StringBuilder();
            try (InputStream s = Files.newInputStream(archive)) {
                // The daemon answers a load with a stream of messages, an error among them when it failed.
                Docker.client().loadImageAsyncCmd(s).exec(new com.github.dockerjava.api.command.LoadImageCallback() {
                    @Override
                    public void onNext(com.github.dockerjava.api.model.LoadResponseItem item) {
                        if (item.isErrorIndicated()) said.append(item.getError()).append(' ');
                        else if (item.getStream() != null) said.append(item.getStream().strip()).append(' ');
                        super.onNext(item);
                    }
                }).awaitCompletion(10, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the daemon loaded the image", e);
            }
            try {
                Docker.client().inspectImageCmd(tag).exec();
            } catch (NotFoundException e) {
                throw new IOException("the daemon did not load it: " + said.toString().strip(), e);
            }
        } catch (IOException | RuntimeException e) {
            throw new NodeException("cannot build the container image " + tag + ": " + Docker.rootMessage(e), e);
        } finally {
            if (work != null) {
                try {
                    if (System.getenv("LOSSMETER_KEEP_IMAGE_DIR") == null) FileTrees.delete(work);
                } catch (RuntimeException ignored) {
                    // A temp dir left behind is not worth failing the build for.
                }
            }
        }
        if (log != null) {
            log.printf("lossmeter: built %s in %.1fs%n", tag, (System.nanoTime() - t0) / 1e9);
            log.flush();
        }
        built = tag;
        return tag;
    }

    /** What goes in, found on this machine. */
    private static Input inputs() {
        Map<String, Path> files = new TreeMap<>();
        Map<String, String> links = new TreeMap<>();
        Map<String, String> scripts = new TreeMap<>();
        Path busybox = Stream.of("/bin/busybox", "/usr/bin/busybox").map(Path::of).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new NodeException("container nodes need a static busybox on this machine (Debian: apt-get install"
                        + " busybox-static)"));
        files.put(BIN.substring(1) + "/busybox", busybox);
        for (String applet : run(List.of(busybox.toString(), "--list")).lines().map(String::strip).filter(s -> !s.isEmpty()).toList()) {
            if (!applet.equals("busybox")) links.put(BIN.substring(1) + "/" + applet, "busybox");
        }
        Path javaHome = Path.of(System.getProperty("java.home"));
        List<Path> elf = new ArrayList<>(List.of(javaHome.resolve("bin/java"), javaHome.resolve("lib/server/libjvm.so")));
        try (Stream<Path> libs = Files.list(javaHome.resolve("lib"))) {
            libs.filter(p -> p.toString().endsWith(".so")).sorted().forEach(elf::add);
        } catch (IOException e) {
            throw new NodeException("cannot list " + javaHome.resolve("lib") + ": " + e.getMessage(), e);
        }
        Path fuse = Stream.of("/lib/x86_64-linux-gnu/libfuse3.so.3", "/usr/lib/x86_64-linux-gnu/libfuse3.so.3", "/lib/aarch64-linux-gnu/libfuse3.so.3",
                "/usr/lib/aarch64-linux-gnu/libfuse3.so.3", "/usr/lib64/libfuse3.so.3").map(Path::of).filter(Files::exists).findFirst().orElse(null);
        if (fuse != null) {
            elf.add(fuse);
            files.put(LIB.substring(1) + "/libfuse3.so.3", fuse);
        }
        Path redis = Stream.of("/usr/bin/redis-server", "/usr/local/bin/redis-server").map(Path::of).filter(Files::isExecutable).findFirst()
                .orElse(null);
        String loaderName = null;
        Path loader = null;
        Map<String, Path> libs = new TreeMap<>();
        List<Path> all = new ArrayList<>(elf);
        if (redis != null) all.add(redis);
        for (Path f : all) {
            for (String line : run(List.of("ldd", f.toString())).lines().map(String::strip).toList()) {
                // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)" or "/lib64/ld-linux-x86-64.so.2 (0x…)"
                String[] parts = line.split("\\s+");
                if (line.contains("=>") && parts.length >= 3 && parts[2].startsWith("/")) libs.put(parts[0], Path.of(parts[2]));
                else if (parts.length >= 1 && parts[0].startsWith("/") && parts[0].contains("ld-linux")) {
                    loader = Path.of(parts[0]);
                    loaderName = loader.getFileName().toString();
                }
            }
        }
        if (loader == null) throw new NodeException("cannot find the dynamic loader of " + javaHome.resolve("bin/java") + " with ldd");
        libs.forEach((name, path) -> files.put(LIB.substring(1) + "/" + name, path));
        files.put(LIB.substring(1) + "/" + loaderName, loader);
        // The java launcher finds its home from the program the kernel ran, the loader: a copy of it
        // in the runtime's bin/ makes that the runtime's own dir.
        files.put(Exec.TOOLS.substring(1) + "/jre/bin/" + loaderName, loader);
        String ld = LIB + "/" + loaderName;
        scripts.put(BIN.substring(1) + "/java", "#!" + BIN + "/sh\nexec " + Exec.TOOLS + "/jre/bin/" + loaderName + " --library-path " + LIB
                + " " + Exec.TOOLS + "/jre/bin/java \"$@\"\n");
        if (redis != null) {
            files.put(Exec.TOOLS.substring(1) + "/libexec/redis-server", redis);
            scripts.put(BIN.substring(1) + "/redis-server", "#!" + BIN + "/sh\nexec " + ld + " --library-path " + LIB + " " + Exec.TOOLS
                    + "/libexec/redis-server \"$@\"\n");
        }
        scripts.put("etc/passwd", "root:x:0:0:root:/root:" + BIN + "/sh\n");
        scripts.put("etc/group", "root:x:0:\n");
        List<Path> jars = RemoteJars.expand(JavaRuntime.harnessClasspath());
        return new Input(files, links, scripts, loader, jars);
    }

    /** The image's tag hash: every input's name and content, the JDK's release and the modules. */
    private static String hash(Input in) {
        MessageDigest md = sha256();
        java.util.function.Consumer<String> add = s -> md.update((s + "\n").getBytes(StandardCharsets.UTF_8));
        add.accept("layout " + LAYOUT);
        in.files().forEach((name, p) -> add.accept(name + " " + RemoteJars.hash(p)));
        in.links().forEach((name, to) -> add.accept(name + " -> " + to));
        in.scripts().forEach((name, text) -> add.accept(name + " = " + text));
        for (Path jar : in.jars()) add.accept("jar " + jarHash(jar));
        Path home = Path.of(System.getProperty("java.home"));
        try {
            add.accept("jdk " + home + " " + Files.readString(home.resolve("release")));
        } catch (IOException e) {
            add.accept("jdk " + home + " " + System.getProperty("java.runtime.version"));
        }
        add.accept("modules " + MODULES);
        return HexFormat.of().formatHex(md.digest());
    }

    static String jarHash(Path entry) {
        return RemoteJars.hash(Files.isDirectory(entry) ? RemoteJars.packed(entry) : entry);
    }

    /** The harness's class path as the image holds it: {@code /.lossmeter/jars/<sha-256>.jar}. */
    static List<Path> inImage(List<Path> classpath) {
        return RemoteJars.expand(classpath).stream().map(e -> Path.of(JARS, jarHash(e) + ".jar")).toList();
    }

    /** A Java runtime for the image: jlink'ed from this JDK, or a copy of it when it has no jlink (a JRE). */
    private static void jlink(Path to) throws IOException {
        Path home = Path.of(System.getProperty("java.home"));
        Path jlink = home.resolve("bin/jlink");
        if (Files.isExecutable(jlink)) {
            String out = run(List.of(jlink.toString(), "--add-modules", MODULES, "--strip-debug", "--no-header-files", "--no-man-pages",
                    "--compress=zip-6", "--output", to.toString()));
            if (!Files.isExecutable(to.resolve("bin/java"))) throw new IOException("jlink made no runtime: " + out);
        } else {
            FileTrees.copy(home, to);
        }
    }

    private static String writeLayer(Input in, Path jre, Path layer) throws IOException {
        MessageDigest md = sha256();
        try (OutputStream fileOut = Files.newOutputStream(layer);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new DigestOutputStream(fileOut, md))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (String dir : List.of("tmp", "work", "etc", Exec.TOOLS.substring(1), BIN.substring(1), LIB.substring(1),
                    Exec.TOOLS.substring(1) + "/libexec", JARS.substring(1))) {
                TarArchiveEntry e = new TarArchiveEntry(dir + "/");
                e.setMode(dir.equals("tmp") ? 01777 : 0755);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            }
            for (var f : in.files().entrySet()) file(tar, f.getKey(), f.getValue(), Files.isExecutable(f.getValue()) ? 0755 : 0644);
            for (var l : in.links().entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(l.getKey(), TarConstants.LF_SYMLINK);
                e.setLinkName(l.getValue());
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            }
            for (var s : in.scripts().entrySet()) bytes(tar, s.getKey(), s.getValue().getBytes(StandardCharsets.UTF_8),
                    s.getKey().startsWith(BIN.substring(1)) ? 0755 : 0644);
            java.util.Set<String> jarNames = new java.util.HashSet<>();
            for (Path jar : in.jars()) {
                // Two class path entries with the same content are one jar in the image (a tar may not repeat a path).
                String name = JARS.substring(1) + "/" + jarHash(jar) + ".jar";
                if (jarNames.add(name)) file(tar, name, Files.isDirectory(jar) ? RemoteJars.packed(jar) : jar, 0644);
            }
            List<Path> tree;
            try (Stream<Path> s = Files.walk(jre)) {
                tree = s.sorted().toList();
            }
            for (Path p : tree) {
                String name = Exec.TOOLS.substring(1) + "/jre" + (p.equals(jre) ? "" : "/" + jre.relativize(p));
                if (Files.isSymbolicLink(p)) {
                    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                    e.setLinkName(Files.readSymbolicLink(p).toString());
                    tar.putArchiveEntry(e);
                    tar.closeArchiveEntry();
                } else if (Files.isDirectory(p)) {
                    TarArchiveEntry e = new TarArchiveEntry(name + "/");
                    e.setMode(0755);
                    tar.putArchiveEntry(e);
                    tar.closeArchiveEntry();
                } else {
                    file(tar, name, p, Files.isExecutable(p) ? 0755 : 0644);
                }
            }
            tar.finish();
        }
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }

    /** A {@code docker save} archive of one layer: what the daemon's image load takes. */
    private static void writeArchive(String tag, Path layer, String diffId, Path archive) throws IOException {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architecture", dockerArch());
        config.put("os", "linux");
        config.put("config", Map.of("Env", List.of("PATH=" + BIN), "Cmd", List.of(BIN + "/sleep", "2147483647"),
                "Labels", Map.of(Docker.ROLE, "image")));
        config.put("rootfs", Map.of("type", "layers", "diff_ids", List.of(diffId)));
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        byte[] cfg = json.writeValueAsBytes(config);
        String cfgName = HexFormat.of().formatHex(sha256().digest(cfg)) + ".json";
        byte[] manifest = json.writeValueAsBytes(List.of(Map.of("Config", cfgName, "RepoTags", List.of(tag), "Layers", List.of("layer.tar"))));
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            file(tar, "layer.tar", layer, 0644);
            bytes(tar, cfgName, cfg, 0644);
            bytes(tar, "manifest.json", manifest, 0644);
            tar.finish();
        }
    }

    private static String dockerArch() {
        String a = System.getProperty("os.arch");
        return a.equals("amd64") || a.equals("x86_64") ? "amd64" : a.equals("aarch64") ? "arm64" : a;
    }

    private static void file(TarArchiveOutputStream tar, String name, Path from, int mode) throws IOException {
        Path real = from.toRealPath();
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(Files.size(real));
        e.setMode(mode);
        tar.putArchiveEntry(e);
        Files.copy(real, tar);
        tar.closeArchiveEntry();
    }

    private static void bytes(TarArchiveOutputStream tar, String name, byte[] content, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(content.length);
        e.setMode(mode);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a tool of this machine and returns its output; a NodeException when it fails. */
    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new NodeException(command.getFirst() + " did not finish");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0 && !command.getFirst().equals("ldd")) {
                throw new NodeException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + text.strip());
            }
            return text;
        } catch (IOException e) {
            throw new NodeException("cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeException("interrupted while running " + command.getFirst(), e);
        }
    }
}
