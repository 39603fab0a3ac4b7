package lossmeter.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import lossmeter.faults.node.NodeProcess;
import lossmeter.harness.node.ProcessRegistry;
import lossmeter.server.ServerMain;

/** Runs the command line in-process with captured output, and checks what it left behind. */
final class Cli {
    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private Cli() {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    /**
     * Runs the packaged launcher ({@code ./lossmeter}, a fresh JVM as a user starts it) in {@code workDir}
     * to its end (at most {@code timeout}), with the jars this build made and the tests' run ledger.
     */
    static Result launched(Path workDir, java.time.Duration timeout, String... args) throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("lossmeter.root", "..")).toAbsolutePath().normalize();
        List<String> cmd = new ArrayList<>(List.of(root.resolve("lossmeter").toString()));
        cmd.addAll(List.of(args));
        Files.createDirectories(workDir);
        Path out = Files.createTempFile(workDir, "launcher", ".out");
        Path err = Files.createTempFile(workDir, "launcher", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("LOSSMETER_NO_BUILD", "1");
        pb.environment().put("LOSSMETER_LEDGER", System.getProperty("lossmeter.ledger", workDir.resolve("ledger").toString()));
        Process p = pb.start();
        try {
            if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new AssertionError(cmd + " did not end within " + timeout + "\n" + Files.readString(out) + Files.readString(err));
            }
        } finally {
            p.destroyForcibly();
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Groups started since {@code before} (an index into the registry's history). */
    static List<NodeProcess> startedSince(int before) {
        List<NodeProcess> all = ProcessRegistry.global().everStarted();
        return new ArrayList<>(all.subList(before, all.size()));
    }

    static int started() {
        return ProcessRegistry.global().everStarted().size();
    }

    /** No live process is left in any of these groups (scanning /proc, zombies excluded). */
    static void assertNothingLeft(List<NodeProcess> groups) throws IOException {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            List<String> alive = new ArrayList<>();
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String stat;
                try {
                    stat = Files.readString(p.resolve("stat"));
                } catch (IOException e) {
                    continue;
                }
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long pgrp = Long.parseLong(f[2]);
                if (f[0].equals("Z")) continue;
                for (NodeProcess g : groups) {
                    if (g.pgid() == pgrp) alive.add(stat);
                }
            }
            assertThat(alive).as("processes left in groups %s", groups).isEmpty();
        }
        assertThat(ProcessRegistry.global().tracked()).doesNotContainAnyElementsOf(groups);
    }

    /** A cmd: template that runs the bundled server, plus extra directives. */
    static String bundledTemplate(String extra) {
        Path cp;
        try {
            cp = Path.of(ServerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return "cmd:" + java + " -XX:+UseSerialGC -cp " + cp + " lossmeter.server.ServerMain server --port {port} --bind 127.0.0.1"
                + " --dir {dir} --appendonly yes --appendfsync {fsync} --save '' " + extra;
    }
}
