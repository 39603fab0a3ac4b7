package lossmeter.harness.node.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import lossmeter.faults.node.NodeException;
import lossmeter.faults.node.UnixSockets;

/**
 * The harness's end of a connection to a Unix socket in a container: a {@link UnixRelay} JVM
 * started by an exec in the container, its stdin and stdout being the connection's two directions.
 */
final class RelayConnection implements UnixSockets.Connection {
    private final Exec.Stream stream;

    private RelayConnection(Exec.Stream stream) {
        this.stream = stream;
    }

    /** Connects to {@code socket} in the container {@code node}; fails when nothing listens there. */
    static RelayConnection open(ContainerNode node, Path socket) {
        Path relayJar;
        try {
            relayJar = Path.of(UnixRelay.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new NodeException("cannot locate lossmeter's classes: " + e.getMessage(), e);
        }
        List<String> cmd = new ArrayList<>(node.java(List.of(relayJar)));
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx32m", UnixRelay.class.getName(), socket.toString()));
        Exec.Stream s;
        try {
            s = node.stream(cmd);
        } catch (IOException | RuntimeException e) {
            throw new NodeException("cannot reach " + socket + " in " + node.name() + ": " + Docker.rootMessage(e), e);
        }
        try {
            int first = s.in().read();
            if (first != UnixRelay.CONNECTED) {
                s.close();
                throw new NodeException("nothing listens at " + socket + " in " + node.name());
            }
        } catch (IOException e) {
            s.close();
            throw new NodeException("nothing listens at " + socket + " in " + node.name() + ": " + e.getMessage(), e);
        }
        return new RelayConnection(s);
    }

    @Override
    public InputStream in() {
        return stream.in();
    }

    @Override
    public OutputStream out() {
        return stream.out();
    }

    @Override
    public void close() {
        stream.close();
    }
}
