package lossmeter.harness.target;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback ports for target starts. */
final class Ports {
    private Ports() {
    }

    /**
     * A loopback port that was free a moment ago. The kernel hands out ephemeral ports in sequence,
     * so another process taking it before the target binds is unlikely; if it happens the target
     * fails to bind and readiness reports its log.
     */
    static int freeLoopbackPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
