package lossmeter.harness.node.ssh;

import java.net.URI;
import java.net.URISyntaxException;

/** A node's SSH address, {@code ssh://user@host[:port]}; the port defaults to 22. */
public record SshAddress(String user, String host, int port) {
    public SshAddress {
        if (user == null || user.isBlank()) throw new IllegalArgumentException("an SSH node needs a user: ssh://user@host[:port]");
        if (host == null || host.isBlank()) throw new IllegalArgumentException("an SSH node needs a host: ssh://user@host[:port]");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("bad SSH port " + port);
    }

    public static SshAddress parse(String s) {
        String t = s.trim();
        if (!t.startsWith("ssh://")) throw new IllegalArgumentException("not an SSH node '" + s + "': expected ssh://user@host[:port]");
        URI u;
        try {
            u = new URI(t);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad SSH node '" + s + "': " + e.getMessage());
        }
        if (u.getHost() == null || u.getUserInfo() == null || (u.getPath() != null && !u.getPath().isEmpty()) || u.getQuery() != null) {
            throw new IllegalArgumentException("bad SSH node '" + s + "': expected ssh://user@host[:port]");
        }
        String host = u.getHost();
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        return new SshAddress(u.getUserInfo(), host, u.getPort() == -1 ? 22 : u.getPort());
    }

    /** How known_hosts names this host: {@code host}, or {@code [host]:port} off port 22. */
    public String knownHostsName() {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    @Override
    public String toString() {
        return "ssh://" + user + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
