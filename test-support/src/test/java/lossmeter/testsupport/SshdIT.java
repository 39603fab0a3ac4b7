package lossmeter.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two sshd hosts on 127.0.0.1 and 127.0.0.2, reached by the system OpenSSH client with strict
 * host key checking against the known_hosts that {@link Sshd#writeKnownHosts} writes; a stop
 * takes down a live session and every process of it and closes the port; a restart brings the
 * same host back.
 */
@Tag("integration")
class SshdIT {
    @TempDir
    Path tmp;

    private Path ssh;
    private final AtomicInteger runs = new AtomicInteger();

    @BeforeEach
    void needOpenSsh() {
        Requirements.requireSshd();
        ssh = Requirements.requireCommand("ssh");
    }

    @Test
    void twoHostsServeTheSystemClientStopKillsEverySessionAndRestartComesBack() throws Exception {
        try (Sshd a = Sshd.start("127.0.0.1", tmp.resolve("a")); Sshd b = Sshd.start("127.0.0.2", tmp.resolve("b"))) {
            assertThat(a.uri("root")).isEqualTo("ssh://root@127.0.0.1:" + a.port());
            assertThat(a.knownHostsLine()).matches("\\[127\\.0\\.0\\.1]:" + a.port() + " ssh-ed25519 AAAA\\S+");

            Path onlyB = tmp.resolve("known_hosts_b");
            Sshd.writeKnownHosts(onlyB, b);
            Run untrusted = ssh(a, onlyB, "echo", "hi");
            assertThat(untrusted.exit()).as(untrusted.stderr()).isEqualTo(255);
            assertThat(untrusted.stderr()).contains("Host key verification failed");

            Path knownHosts = tmp.resolve("known_hosts");
            Sshd.writeKnownHosts(knownHosts, a, b);
            assertThat(Files.readAllLines(knownHosts)).containsExactly(a.knownHostsLine(), b.knownHostsLine());
            for (Sshd s : List.of(a, b)) {
                Run hi = ssh(s, knownHosts, "echo", "hi");
                assertThat(hi.exit()).as(hi.stderr()).isZero();
                assertThat(hi.stdout()).isEqualTo("hi\n");
            }

            Process session = sshCommand(a, knownHosts, "sleep", "600")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                long listener = a.pid();
                await().atMost(Duration.ofSeconds(15)).until(() -> ProcessHandle.of(listener).orElseThrow().descendants()
                        .anyMatch(h -> h.info().command().orElse("").endsWith("/sleep")));
                List<ProcessHandle> sessionProcesses = ProcessHandle.of(listener).orElseThrow().descendants().toList();

                a.stop();

                assertThat(a.isRunning()).isFalse();
                assertThat(ProcessHandle.of(listener)).isEmpty();
                assertThat(sessionProcesses).isNotEmpty().noneMatch(ProcessHandle::isAlive);
                await().atMost(Duration.ofSeconds(15)).until(() -> !session.isAlive());
                assertThat(session.exitValue()).isEqualTo(255);
                assertThatThrownBy(() -> connect(a)).isInstanceOf(ConnectException.class);
                Run stillUp = ssh(b, knownHosts, "echo", "hi");
                assertThat(stillUp.stdout()).as(stillUp.stderr()).isEqualTo("hi\n");
            } finally {
                session.destroyForcibly();
            }

            int port = a.port();
            a.restart();
            assertThat(a.port()).isEqualTo(port);
            assertThat(a.isRunning()).isTrue();
            Run back = ssh(a, knownHosts, "echo", "hi");
            assertThat(back.exit()).as(back.stderr()).isZero();
            assertThat(back.stdout()).isEqualTo("hi\n");
        }
    }

    @Test
    void closeIsIdempotentAndStopsTheListener() throws Exception {
        Sshd s = Sshd.start("127.0.0.1", tmp.resolve("c"));
        long pid = s.pid();
        s.close();
        s.close();
        assertThat(ProcessHandle.of(pid)).isEmpty();
        assertThatThrownBy(() -> connect(s)).isInstanceOf(ConnectException.class);
        assertThatThrownBy(s::pid).isInstanceOf(IllegalStateException.class);
    }

    private record Run(int exit, String stdout, String stderr) {
    }

    private ProcessBuilder sshCommand(Sshd s, Path knownHosts, String... command) {
        List<String> cmd = new ArrayList<>(List.of(ssh.toString(), "-F", "/dev/null", "-i", s.userKey().toString(),
                "-o", "IdentitiesOnly=yes", "-o", "UserKnownHostsFile=" + knownHosts, "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10",
                "-p", Integer.toString(s.port()), s.user() + "@" + s.host()));
        cmd.addAll(List.of(command));
        return new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    }

    private Run ssh(Sshd s, Path knownHosts, String... command) throws IOException {
        int n = runs.incrementAndGet();
        Path out = tmp.resolve("ssh-" + n + ".out");
        Path err = tmp.resolve("ssh-" + n + ".err");
        Process p = sshCommand(s, knownHosts, command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> !p.isAlive());
        } finally {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static void connect(Sshd s) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(s.host(), s.port()), 2000);
        }
    }
}
