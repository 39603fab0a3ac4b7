package lossmeter.faults.node;

import java.nio.file.Path;
import java.util.List;

/**
 * A node that runs lossmeter's own classes (the bundled server, lossyfs) with a JDK 25: the local
 * node with the harness's own JVM, a remote one with a JDK found on it and the harness's jars
 * copied there (cached by content hash).
 */
public interface JavaRuntime {
    /**
     * The start of a command that runs a JVM on the node with {@code classpath} (jars or class
     * directories of the harness's machine, made available on the node): {@code [java, -cp, …]}.
     * The caller appends JVM options, the main class and its arguments.
     */
    List<String> java(List<Path> classpath);

    /** The harness's own class path, every entry, as {@code java.class.path} lists it. */
    static List<Path> harnessClasspath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(s -> !s.isEmpty()).map(Path::of).toList();
    }
}
