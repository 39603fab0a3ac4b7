package lossmeter.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import lossmeter.harness.run.Json;
import lossmeter.testsupport.Requirements;

/**
 * Campaigns on container nodes (a real Docker daemon, lossmeter's own image built from this
 * machine's files): every fault a container adds and the classic ones pass against the bundled
 * server and redis-server on two containers at once, an unsafe switch is caught, and no container
 * or volume is left after a passing run, a failing one, or SIGINT of the harness.
 */
@Tag("integration")
class ContainersIT {
    @TempDir
    static Path dir;

    @BeforeAll
    static void docker() {
        Requirements.requireDocker();
    }

    static List<String> run(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "--nodes", "container:2", "--duration", "1s", "--crashes", "1", "--trials", "1", "--seed", "12",
                "--out", out.toString()));
        args.addAll(List.of(extra));
        return args;
    }

    /** The docker CLI's answer, one line per item. */
    static List<String> docker(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    /** No container (running or not) and no volume of any lossmeter run is left. */
    static void assertDockerClean() throws IOException, InterruptedException {
        assertThat(docker("ps", "-a", "-q", "--filter", "label=dev.lossmeter.owner")).as("containers left").isEmpty();
        assertThat(docker("volume", "ls", "-q", "--filter", "label=dev.lossmeter.owner")).as("labelled volumes left").isEmpty();
        assertThat(docker("volume", "ls", "-q", "--filter", "dangling=true")).as("anonymous volumes left").isEmpty();
    }

    /** The packaged ./lossmeter running two long trials of {@code fault} on two containers; its output in {@code <out>.log}. */
    static Process packaged(Path out, String fault) throws IOException {
        Path root = Path.of(System.getProperty("lossmeter.root", "..")).toAbsolutePath().normalize();
        assertThat(root.resolve("harness/target/harness.jar")).as("built by the package phase").isRegularFile();
        List<String> cmd = new ArrayList<>(List.of(root.resolve("lossmeter").toString()));
        cmd.addAll(run(out, "--target", "bundled", "--faults", fault, "--policies", "everysec", "--trials", "2", "--duration", "10m"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(out.resolveSibling(out.getFileName() + ".log").toFile());
        pb.environment().put("LOSSMETER_NO_BUILD", "1");
        return pb.start();
    }

    static void assertPassesOnBoth(Cli.Result r, Path out, int trials) throws IOException {
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode results = Json.PRETTY.readTree(out.resolve("results.json").toFile());
        assertThat(SshFleetIT.byNode(results).keySet()).as(r.toString()).containsExactlyInAnyOrder("container-1", "container-2");
        assertThat(results.get("trials")).hasSize(trials);
        for (JsonNode cell : results.get("cells")) {
            assertThat(cell.get("injected").asInt()).as(cell.toString()).isPositive();
            assertThat(cell.get("effective").asInt()).as("every crash took effect in " + cell).isEqualTo(cell.get("injected").asInt());
        }
    }

    @Test
    void theBundledServerPassesEveryContainerFaultOnTwoContainers() throws Exception {
        Path out = dir.resolve("bundled");
        Cli.Result r = Cli.run(run(out, "--target", "bundled", "--policies", "always", "--faults",
                "kill,pause,power-loss,oom-kill,container-restart").toArray(String[]::new));
        assertPassesOnBoth(r, out, 5);
        assertThat(Files.readString(out.resolve("trials/always-oom-kill-1/events.log"))).contains("the OOM killer killed the target");
        assertDockerClean();
    }

    @Test
    void redisServerPassesOnTwoContainers() throws Exception {
        Requirements.requireCommand("redis-server");
        Path out = dir.resolve("redis");
        Cli.Result r = Cli.run(run(out, "--target", "redis", "--policies", "always", "--faults", "kill,pause,power-loss,oom-kill")
                .toArray(String[]::new));
        assertPassesOnBoth(r, out, 4);
        assertDockerClean();
    }

    @Test
    void anUnsafeSwitchIsCaughtInAContainerAndItsFilesComeBack() throws Exception {
        Path out = dir.resolve("unsafe");
        Cli.Result r = Cli.run(run(out, "--target", "bundled:--enable-unsafe-durability-switches yes --unsafe-reply-before-fsync yes",
                "--policies", "always", "--faults", "power-loss", "--workload", "counter", "--trials", "2", "--crashes", "3", "--seed", "11").toArray(String[]::new));
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("VIOLATION").contains("--nodes container --seed 11 --only");
        try (var s = Files.list(out.resolve("trials"))) {
            assertThat(s.filter(t -> Files.isDirectory(t.resolve("data")) && Files.isDirectory(t.resolve("crash-1-data"))).toList())
                    .as("a failing trial's data dirs copied back from its container").isNotEmpty();
        }
        assertDockerClean();
    }

    /** SIGINT of the packaged harness while power-loss trials run in two containers: no container or volume is left. */
    @Test
    void ctrlCOfTheHarnessLeavesNoContainer() throws Exception {
        Path out = dir.resolve("interrupted");
        Process harness = packaged(out, "power-loss");
        try {
            try {
                SshFleetIT.awaitReadyOn(out, 2);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(Files.readString(out.resolveSibling(out.getFileName() + ".log")), e);
            }
            assertThat(docker("ps", "-q", "--filter", "label=dev.lossmeter.owner")).as("two containers running").hasSize(2);
            new ProcessBuilder("kill", "-s", "INT", Long.toString(harness.pid())).start().waitFor();
            assertThat(harness.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as(Files.readString(out.resolveSibling(out.getFileName() + ".log"))).isTrue();
            assertDockerClean();
        } finally {
            harness.destroyForcibly();
        }
    }

    /** SIGKILL of the harness leaves its containers; the next clean (as the next container run's start) removes them, by owner. */
    @Test
    void aKilledHarnesssContainersGoAtTheNextClean() throws Exception {
        Path out = dir.resolve("killed");
        Process harness = packaged(out, "kill");
        try {
            SshFleetIT.awaitReadyOn(out, 2);
            new ProcessBuilder("kill", "-s", "KILL", Long.toString(harness.pid())).start().waitFor();
            assertThat(harness.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(docker("ps", "-a", "-q", "--filter", "label=dev.lossmeter.owner")).as("left by the killed harness").hasSize(2);
            Cli.Result clean = Cli.run("clean");
            assertThat(clean.code()).as(clean.toString()).isZero();
            assertThat(clean.out()).contains("removed container").contains("that a killed run");
            assertDockerClean();
        } finally {
            harness.destroyForcibly();
        }
    }

    /**
     * A user's own image (here one with nothing but a static busybox: no glibc, no Java) and a
     * {@code cmd:} target: lossmeter's tools come in on a read-only volume, lossyfs included.
     */
    @Test
    void aCommandRunsInTheUsersOwnImage() throws Exception {
        Path rootfs = dir.resolve("user-rootfs");
        Files.createDirectories(rootfs.resolve("bin"));
        Path busybox = Stream.of("/bin/busybox", "/usr/bin/busybox").map(Path::of).filter(Files::isExecutable).findFirst().orElseThrow();
        Files.copy(busybox, rootfs.resolve("bin/busybox"));
        Files.createSymbolicLink(rootfs.resolve("bin/sh"), Path.of("busybox"));
        String image = "lossmeter-it-user:" + ProcessHandle.current().pid();
        Process imp = new ProcessBuilder("sh", "-c", "tar -C \"$0\" -c . | docker import -c 'ENV PATH=/bin' - \"$1\"", rootfs.toString(), image)
                .redirectErrorStream(true).start();
        String said = new String(imp.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(imp.waitFor()).as(said).isZero();
        try {
            Path out = dir.resolve("user-image");
            Cli.Result r = Cli.run(run(out, "--image", image, "--target", "cmd:redis-server --port {port} --bind {bind} --protected-mode no"
                    + " --dir {dir} --appendonly yes --appendfsync {fsync}", "--policies", "always", "--faults", "kill,power-loss")
                    .toArray(String[]::new));
            assertPassesOnBoth(r, out, 2);
            assertDockerClean();
        } finally {
            docker("rmi", image);
        }
    }
}
