package lossmeter.harness.target;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import lossmeter.faults.node.CommandResult;
import lossmeter.faults.node.JavaRuntime;
import lossmeter.faults.node.Node;
import lossmeter.faults.node.NodeException;
import lossmeter.faults.node.NodeProcess;
import lossmeter.faults.target.AofLayout;
import lossmeter.faults.target.Endpoint;
import lossmeter.faults.target.RunningTarget;
import lossmeter.harness.node.LocalNode;
import lossmeter.server.ServerMain;

/**
 * The bundled target-server, started as {@code java -cp <server classes> lossmeter.server.ServerMain
 * server …} with the JVM that runs the harness. The server classes are the ones on the harness's
 * own classpath (harness/target/lib/ under the launcher, target/classes or the local repository in
 * a build), so the server is the one the harness was built with; failing that, the launcher's
 * layout {@code target-server/target/target-server.jar} of the checkout the harness jar sits in.
 */
final class BundledTarget implements Target, Repairable {
    /** Overrides where the server's classes are (a jar or a directory). */
    static final String CLASSPATH_PROPERTY = "lossmeter.server.classpath";

    static final java.time.Duration REPAIR_TIMEOUT = java.time.Duration.ofMinutes(2);

    /** Extra server directives ({@code --name value …}) appended after the harness's own. */
    private final List<String> extra;

    BundledTarget(List<String> extra) {
        this.extra = List.copyOf(extra);
    }

    @Override
    public String spec() {
        return extra.isEmpty() ? "bundled" : "bundled:" + String.join(" ", extra);
    }

    @Override
    public void validate(Node node) {
        if (node.ability(JavaRuntime.class).isEmpty()) {
            throw new TargetConfigException("node " + node.name() + " cannot run the bundled server (it runs no JVM of lossmeter's)");
        }
        if (node.ability(LocalNode.class).isPresent()) {
            Path java = javaBinary();
            if (!Files.isExecutable(java)) throw new TargetConfigException("no java binary at " + java + " for the bundled target");
        }
        try {
            // On a remote node this finds its JDK and copies the server's jar there, once.
            node.require(JavaRuntime.class, "run the bundled server").java(List.of(serverClasspath()));
        } catch (NodeException e) {
            throw new TargetConfigException("the bundled server cannot run on node " + node.name() + ": " + e.getMessage());
        }
        if (!extra.isEmpty()) {
            // Refuse bad directives before anything starts, with the server's own message.
            List<String> args = new ArrayList<>(List.of("--appendonly", "yes"));
            args.addAll(extra);
            try {
                lossmeter.server.config.ConfigLoader.fromArgs(args.toArray(new String[0]));
            } catch (lossmeter.server.config.ConfigLoader.Failure f) {
                throw new TargetConfigException("bad directive for the bundled target: " + f.report().strip());
            }
        }
    }

    @Override
    public RunningTarget start(Node node, Launch launch) {
        int port = node.freePort();
        JavaRuntime java = node.require(JavaRuntime.class, "run the bundled server");
        List<String> cmd = new ArrayList<>();
        Path classpath = serverClasspath();
        // The launcher's AOT cache is a file of this machine, trained on the launcher's jar.
        Path aot = System.getenv("LOSSMETER_SERVER_JAVA_OPTS") == null && node.ability(LocalNode.class).isPresent()
                ? launcherAotCache() : null;
        if (aot != null) {
            // The cache was trained on the launcher's jar, so the server must run from that very path.
            cmd.addAll(java.java(List.of(launcherLayout())));
            cmd.addAll(List.of("-XX:+UseSerialGC", "-XX:AOTCache=" + aot));
        } else {
            cmd.addAll(java.java(List.of(classpath)));
            cmd.addAll(jvmOptions());
        }
        cmd.addAll(List.of(ServerMain.class.getName(), "server",
                "--port", Integer.toString(port), "--bind", node.bindAddress(), "--dir", launch.dataDir().toString(),
                "--appendonly", "yes", "--appendfsync", launch.policy().confName(), "--save", "",
                "--enable-debug-command", "yes"));
        cmd.addAll(extra);
        // Directives a fault asked for come last: the server takes the last value of a directive.
        launch.directives().forEach((name, value) -> {
            cmd.add("--" + name);
            cmd.addAll(value.isBlank() ? List.of("") : Arrays.asList(value.trim().split("\\s+")));
        });
        NodeProcess p = node.start(cmd, launch.dataDir(), Map.of(), launch.log());
        return new ProcessTarget(node, p, node.endpoint(port));
    }

    /** {@code check-aof --fix --yes} over the single-file log, with the same server classes. */
    @Override
    public CommandResult repair(Node node, Launch launch) {
        AofLayout layout = AofLayout.detect(node, launch.dataDir());
        if (layout.kind() == AofLayout.Kind.NONE) return new CommandResult(1, "no append-only file to repair in " + launch.dataDir());
        List<String> cmd = new ArrayList<>(node.require(JavaRuntime.class, "run the bundled server's repair tool")
                .java(List.of(serverClasspath())));
        cmd.addAll(List.of("-XX:+UseSerialGC", ServerMain.class.getName(), "check-aof", "--fix", "--yes", layout.tail().toString()));
        return node.run(cmd, REPAIR_TIMEOUT);
    }

    static Path javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** The launcher's defaults for the server's JVM: a small heap's GC and class-data sharing for a fast start. */
    private static List<String> jvmOptions() {
        String opts = System.getenv("LOSSMETER_SERVER_JAVA_OPTS");
        if (opts != null) return Arrays.stream(opts.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
        return List.of("-XX:+UseSerialGC", "-Xshare:auto");
    }

    static Path serverClasspath() {
        String override = System.getProperty(CLASSPATH_PROPERTY);
        if (override != null) {
            Path p = Path.of(override);
            if (!Files.exists(p)) throw new TargetConfigException("-D" + CLASSPATH_PROPERTY + "=" + p + " does not exist");
            return p;
        }
        Path fromLoader = loadedFrom();
        if (fromLoader != null && Files.exists(fromLoader)) return fromLoader;
        Path launcherLayout = launcherLayout();
        if (launcherLayout != null) return launcherLayout;
        throw new TargetConfigException("cannot find the bundled server's classes (looked for "
                + "target-server/target/target-server.jar and the harness's classpath); build with ./mvnw package");
    }

    /**
     * The launcher's AOT cache for the server (about twice as fast a start, and a trial restarts the
     * server at every crash), when the harness runs from the launcher's build and the cache is not
     * older than the jar it was trained on; null otherwise (tests run from target/classes).
     */
    private static Path launcherAotCache() {
        Path jar = launcherLayout();
        Path mine = loadedFrom();
        if (jar == null || mine == null || !mine.getFileName().toString().startsWith("target-server")) return null;
        Path aot = jar.resolveSibling("server.aot");
        try {
            if (!Files.isRegularFile(aot) || Files.size(mine) != Files.size(jar)) return null;
            return Files.getLastModifiedTime(aot).compareTo(Files.getLastModifiedTime(jar)) >= 0 ? aot : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** Where the class loader found ServerMain: a jar or a classes directory. */
    private static Path loadedFrom() {
        CodeSource cs = ServerMain.class.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) return null;
        try {
            return Path.of(cs.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    /** target-server/target/target-server.jar when the harness runs as harness/target/harness.jar of a checkout. */
    private static Path launcherLayout() {
        CodeSource cs = BundledTarget.class.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) return null;
        try {
            Path harness = Path.of(cs.getLocation().toURI());
            if (!harness.getFileName().toString().equals("harness.jar")) return null;
            Path root = harness.toAbsolutePath().getParent().getParent().getParent();
            Path jar = root.resolve("target-server/target/target-server.jar");
            return Files.isRegularFile(jar) ? jar : null;
        } catch (URISyntaxException | IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }
}
