package lossmeter.harness.node.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Runs inside a container: connects to the Unix socket named by its argument, writes one byte
 * ({@code +}) to stdout once connected, then copies stdin to the socket and the socket to stdout
 * until either side ends. The harness reaches a control socket in a container through it (its
 * stdin and stdout are an exec's streams); exit code 3 when nothing listens there.
 */
public final class UnixRelay {
    static final int CONNECTED = '+';

    private UnixRelay() {
    }

    public static void main(String[] args) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(Path.of(args[0])));
        } catch (IOException e) {
            System.err.println("relay: cannot connect to " + args[0] + ": " + e.getMessage());
            System.exit(3);
        }
        OutputStream out = System.out;
        out.write(CONNECTED);
        out.flush();
        InputStream fromSocket = Channels.newInputStream(ch);
        OutputStream toSocket = Channels.newOutputStream(ch);
        Thread up = Thread.ofPlatform().daemon().start(() -> {
            try {
                System.in.transferTo(toSocket);
            } catch (IOException ignored) {
                // The socket or stdin closed.
            }
            System.exit(0);
        });
        byte[] buf = new byte[8192];
        for (int n; (n = fromSocket.read(buf)) > 0; ) {
            out.write(buf, 0, n);
            out.flush();
        }
        up.interrupt();
        System.exit(0);
    }
}
