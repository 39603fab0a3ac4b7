package lossmeter.faults.node;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/** A node whose Unix domain sockets the harness can connect to (directly, or forwarded over SSH): lossyfs's control socket. */
public interface UnixSockets {
    /** An open connection: its two streams, closed together. */
    interface Connection extends Closeable {
        InputStream in();

        OutputStream out();
    }

    /** Connects to the socket at {@code socket} on the node; a NodeException when nothing listens there (yet). */
    Connection connect(Path socket);
}
