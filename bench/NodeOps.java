import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import lossmeter.faults.node.Node;
import lossmeter.faults.node.NodeProcess;
import lossmeter.faults.node.Signal;
import lossmeter.faults.node.UnixSockets;
import lossmeter.harness.node.LocalNode;
import lossmeter.harness.node.ssh.SshAddress;
import lossmeter.harness.node.ssh.SshNode;
import lossmeter.harness.node.ssh.SshOptions;

/**
 * The node operations a crash cycle is made of, timed on the local node and on an SSH node, median
 * of N each: a command, a small file written and read back, a process group started, checked,
 * killed and forgotten, and a round trip over a Unix socket on the node (the way lossyfs's control
 * socket is reached: directly here, forwarded over the SSH connection there). Prints one line per
 * operation with both medians and their ratio.
 *
 *   java -cp 'harness/target/harness.jar:harness/target/lib/*' bench/NodeOps.java SSH_URI KEY KNOWN_HOSTS WORK_DIR [N]
 */
public class NodeOps {
    public static void main(String[] args) throws Exception {
        int n = args.length > 4 ? Integer.parseInt(args[4]) : 30;
        SshOptions ssh = new SshOptions(Path.of(args[1]), Path.of(args[2]), false, null, Path.of(args[3]));
        try (Node local = new LocalNode(Path.of(args[3], "local-ledger")); Node remote = SshNode.connect(SshAddress.parse(args[0]), ssh)) {
            System.out.printf("%-28s %12s %12s %8s%n", "operation (median of " + n + ")", "local_ms", "ssh_ms", "ratio");
            for (String op : List.of("run", "file", "process", "socket")) {
                double l = median(n, task(op, local, Path.of(args[3], "bench-local")));
                double r = median(n, task(op, remote, Path.of(args[3], "bench-ssh")));
                System.out.printf("%-28s %12.2f %12.2f %8.1f%n", op, l, r, r / l);
            }
        }
    }

    static Runnable task(String op, Node node, Path dir) throws Exception {
        node.files().mkdirs(dir);
        return switch (op) {
            case "run" -> () -> node.run(List.of("true"), Duration.ofSeconds(10));
            case "file" -> () -> {
                node.files().write(dir.resolve("f"), "x".repeat(4096).getBytes(StandardCharsets.UTF_8));
                node.files().read(dir.resolve("f"));
            };
            case "process" -> () -> {
                NodeProcess p = node.start(List.of("sleep", "60"), dir, Map.of(), dir.resolve("sleep.log"));
                if (!node.alive(p)) throw new IllegalStateException("not started");
                node.signal(p, Signal.KILL);
                while (node.alive(p)) Thread.onSpinWait();
                node.forget(p);
            };
            case "socket" -> {
                Path sock = dir.resolve("echo.sock");
                node.files().delete(sock);
                node.start(List.of("python3", "-c", "import socket,os\ns=socket.socket(socket.AF_UNIX)\ns.bind('" + sock + "')\ns.listen(8)\n"
                        + "while True:\n c,_=s.accept()\n f=c.makefile('rwb')\n for l in f:\n  f.write(l); f.flush()\n c.close()"),
                        dir, Map.of(), dir.resolve("echo.log"));
                while (!node.files().exists(sock)) Thread.sleep(10);
                UnixSockets sockets = node.require(UnixSockets.class, "reach a Unix socket");
                yield () -> {
                    try (UnixSockets.Connection c = sockets.connect(sock)) {
                        c.out().write("status\n".getBytes(StandardCharsets.US_ASCII));
                        c.out().flush();
                        new BufferedReader(new InputStreamReader(c.in(), StandardCharsets.US_ASCII)).readLine();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                };
            }
            default -> throw new IllegalArgumentException(op);
        };
    }

    static double median(int n, Runnable r) {
        for (int i = 0; i < 3; i++) r.run(); // warm-up
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            r.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[n / 2];
    }
}
