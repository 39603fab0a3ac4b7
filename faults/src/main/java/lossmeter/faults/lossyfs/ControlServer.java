package lossmeter.faults.lossyfs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The control channel: a Unix domain socket (mode 0600) serving {@link ControlCommands}, one
 * command per line, any number of clients, each on its own virtual thread.
 */
final class ControlServer implements AutoCloseable {
    private static final int MAX_LINE = 4096;

    private final Path socket;
    private final ServerSocketChannel server;
    private final ControlCommands commands;
    private final Thread acceptor;

    ControlServer(Path socket, ControlCommands commands) throws IOException {
        this.socket = socket;
        this.commands = commands;
        // A socket file left by a killed run would make bind fail; only a socket is removed.
        if (Files.exists(socket) && !Files.isRegularFile(socket) && !Files.isDirectory(socket)) Files.delete(socket);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        this.acceptor = Thread.ofPlatform().name("lossyfs-control").daemon().start(this::acceptLoop);
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                Thread.ofVirtual().name("lossyfs-control-client").start(() -> serve(client));
            } catch (IOException e) {
                if (server.isOpen()) System.err.println("lossyfs: control accept failed: " + e);
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client;
             BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8));
             OutputStream out = Channels.newOutputStream(client)) {
            String line;
            while ((line = in.readLine()) != null) {
                String reply = line.length() > MAX_LINE ? "err line longer than " + MAX_LINE + " characters" : commands.execute(line);
                out.write((reply + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            // The client went away; its connection is all there is to clean up.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
        Files.deleteIfExists(socket);
    }
}
