package lossmeter.harness.target;

import java.nio.file.Path;

/** The built-in kinds of target, and the parser for the {@code --target} spec. */
public final class Targets {
    private Targets() {
    }

    /** Our own server from target-server/, run by the JVM that runs the harness. */
    public static Target bundled() {
        return new BundledTarget(java.util.List.of());
    }

    /**
     * The bundled server with extra directives, e.g. the unsafe durability switches that make it
     * a server with a known durability bug: {@code bundled:--enable-unsafe-durability-switches yes
     * --unsafe-skip-fsync yes}.
     */
    public static Target bundled(String directives) {
        java.util.List<String> words = java.util.Arrays.stream(directives.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
        if (words.isEmpty() || !words.get(0).startsWith("--")) {
            throw new TargetConfigException("--target bundled:… takes server directives, e.g. bundled:--unsafe-skip-fsync yes");
        }
        return new BundledTarget(words);
    }

    /** A real redis-server binary; null means {@code redis-server} from the PATH. */
    public static Target redis(Path binary) {
        return new RedisTarget(binary);
    }

    /** Any server started by a shell command template with {@code {port}}, {@code {dir}} and {@code {fsync}}. */
    public static Target cmd(String template) {
        return new CommandTarget(template);
    }

    /** A real redis-server from the PATH. */
    public static Target redis() {
        return redis(null);
    }

    /**
     * Any server started by a shell command template with {@code {port}}, {@code {dir}} and
     * {@code {fsync}}, e.g. {@code ./my-server --port {port} --dir {dir} --appendfsync {fsync}}
     * (the Java API's name for {@code cmd:TEMPLATE}).
     */
    public static Target command(String template) {
        return cmd(template);
    }

    /** Parses {@code bundled}, {@code redis}, {@code redis:PATH} or {@code cmd:TEMPLATE}. */
    public static Target parse(String spec) {
        if (spec == null || spec.isBlank()) throw new TargetConfigException("empty --target (use bundled[:--directive value …], redis[:PATH] or cmd:TEMPLATE)");
        if (spec.equals("bundled")) return bundled();
        if (spec.startsWith("bundled:")) return bundled(spec.substring("bundled:".length()));
        if (spec.equals("redis")) return redis(null);
        if (spec.startsWith("redis:")) {
            String path = spec.substring("redis:".length());
            if (path.isBlank()) throw new TargetConfigException("--target redis: needs a path after the colon, or use plain 'redis'");
            return redis(Path.of(path));
        }
        if (spec.startsWith("cmd:")) return cmd(spec.substring("cmd:".length()));
        throw new TargetConfigException("unknown target '" + spec + "' (use bundled[:--directive value …], redis[:PATH] or cmd:TEMPLATE)");
    }

    /** The executable {@code command} as the shell would find it on this machine's PATH, or null. */
    public static java.nio.file.Path onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (d.isEmpty()) continue;
            java.nio.file.Path p = java.nio.file.Path.of(d, command);
            if (java.nio.file.Files.isRegularFile(p) && java.nio.file.Files.isExecutable(p)) return p;
        }
        return null;
    }
}
