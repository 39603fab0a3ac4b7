package lossmeter.harness.node.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

import com.jcraft.jsch.ChannelDirectStreamLocal;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;

import lossmeter.faults.node.NodeException;
import lossmeter.faults.node.UnixSockets;

/** Unix sockets on an SSH node, reached by forwarding them over the node's connection ({@code direct-streamlocal}). */
final class SshSockets implements UnixSockets {
    private final SshSession ssh;

    SshSockets(SshSession ssh) {
        this.ssh = ssh;
    }

    private String name() {
        return ssh.address().toString();
    }


    @Override
    public Connection connect(Path socket) {
        Session s;
        try {
            s = ssh.session();
        } catch (JSchException e) {
            throw new NodeException("cannot reach " + name() + ": " + e.getMessage(), e);
        }
        try {
            ChannelDirectStreamLocal ch = (ChannelDirectStreamLocal) s.openChannel("direct-streamlocal@openssh.com");
            ch.setSocketPath(socket.toString());
            ChannelBuffer received = new ChannelBuffer();
            ch.setOutputStream(received);
            InputStream in = received.input();
            OutputStream out = ch.getOutputStream();
            ch.connect((int) SshOptions.DEFAULT_CONNECT_TIMEOUT.toMillis());
            return new Connection() {
                @Override
                public InputStream in() {
                    return in;
                }

                @Override
                public OutputStream out() {
                    return out;
                }

                @Override
                public void close() {
                    ch.disconnect();
                }
            };
        } catch (JSchException | IOException e) {
            throw new NodeException("cannot connect to " + socket + " on " + name() + ": " + e.getMessage(), e);
        }
    }

}
