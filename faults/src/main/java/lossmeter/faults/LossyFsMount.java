package lossmeter.faults;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.core.ConditionTimeoutException;

import lossmeter.faults.lossyfs.LossyFsControl;
import lossmeter.faults.lossyfs.LossyFsProcess;
import lossmeter.faults.node.Cleanup;
import lossmeter.faults.node.JavaRuntime;
import lossmeter.faults.node.Mounting;
import lossmeter.faults.node.Node;
import lossmeter.faults.node.NodeException;
import lossmeter.faults.node.NodeProcess;
import lossmeter.faults.node.Signal;
import lossmeter.faults.node.UnixSockets;

/**
 * lossyfs mounted over a trial's data dir for the power-loss family of faults: started on the
 * trial's node, through the node, in its own process group (so SIGINT kills it by its group id),
 * with its unmount registered as a node cleanup, so no mount outlives the run however it ends. Its
 * control socket is reached through the node ({@link UnixSockets}: directly on this machine,
 * forwarded over the SSH session on a remote one).
 */
final class LossyFsMount {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** sun_path holds 108 bytes; longer socket paths go to the temp dir. */
    private static final int MAX_SOCKET_PATH = 100;

    private final Node node;
    private final NodeProcess process;
    private final Path mount;
    private final Cleanup unmount;
    private final LossyFsControl control;

    private LossyFsMount(Node node, NodeProcess process, Path mount, Cleanup unmount, LossyFsControl control) {
        this.node = node;
        this.process = process;
        this.mount = mount;
        this.unmount = unmount;
        this.control = control;
    }

    /** Mounts lossyfs over {@code dataDir}, keeping durable bytes in {@code faultDir/backing}; returns once it answers. */
    static LossyFsMount over(FaultContext trial) {
        Node node = trial.node();
        Mounting mounting = node.require(Mounting.class, "mount lossyfs");
        JavaRuntime java = node.require(JavaRuntime.class, "run lossyfs");
        UnixSockets sockets = node.require(UnixSockets.class, "reach lossyfs's control socket");
        Path mount = trial.dataDir().toAbsolutePath().normalize();
        Path backing = trial.faultDir().toAbsolutePath().resolve("backing");
        Path socket = trial.faultDir().toAbsolutePath().resolve("lossyfs.sock");
        if (socket.toString().length() > MAX_SOCKET_PATH) {
            socket = node.tempDir("lossyfs-").resolve("control.sock");
        }
        node.files().mkdirs(backing);
        node.files().mkdirs(mount);
        node.files().delete(socket);
        List<String> command = new ArrayList<>(LossyFsProcess.javaCommand(java));
        command.addAll(LossyFsProcess.Options.of(backing, mount, socket).args());
        // Declared before lossyfs starts, so a mount that appears late is still undone on SIGINT, and
        // one a killed harness left is in the node's ledger for the next sweep.
        Cleanup unmount = mounting.unmountAtExit(mount);
        NodeProcess p = node.start(command, null, Map.of(), trial.faultDir().resolve("lossyfs.log"));
        Path control = socket;
        try {
            LossyFsControl[] client = new LossyFsControl[1];
            await("lossyfs mounted at " + mount).atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(50))
                    .failFast("lossyfs exited before mounting", () -> !node.alive(p))
                    .until(() -> {
                        if (!mounting.mounted(mount)) return false;
                        try {
                            UnixSockets.Connection c = sockets.connect(control);
                            client[0] = LossyFsControl.over(node.name() + ":" + control, c.in(), c.out(), c);
                            return true;
                        } catch (NodeException notYet) {
                            return false;
                        }
                    });
            trial.note("lossyfs mounted over " + mount + " (backing " + backing + ", " + p + ")");
            return new LossyFsMount(node, p, mount, unmount, client[0]);
        } catch (ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
            node.signal(p, Signal.KILL);
            unmount.close();
            throw new IllegalStateException("lossyfs did not mount " + mount + ": " + e.getMessage() + "; see "
                    + trial.faultDir().resolve("lossyfs.log"), e);
        }
    }

    LossyFsControl control() {
        return control;
    }

    /** SIGTERM (lossyfs writes back and unmounts), SIGKILL if it lingers, then the unmount cleanup. */
    void stop() {
        try {
            control.close();
        } catch (IOException e) {
            // The socket dies with the process anyway.
        }
        try {
            node.signal(process, Signal.TERM);
            try {
                await("exit of lossyfs " + process).atMost(STOP_TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() -> !node.alive(process));
            } catch (ConditionTimeoutException e) {
                node.signal(process, Signal.KILL);
                await("exit of lossyfs " + process + " after SIGKILL").atMost(STOP_TIMEOUT).pollInterval(Duration.ofMillis(20))
                        .until(() -> !node.alive(process));
            }
            node.forget(process);
        } finally {
            unmount.close();
        }
    }
}
