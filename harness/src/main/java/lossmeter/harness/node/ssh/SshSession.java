package lossmeter.harness.node.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchHostKeyException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import com.jcraft.jsch.Session;

import lossmeter.faults.node.CommandResult;
import lossmeter.faults.node.NodeException;
import lossmeter.faults.node.NodeUnreachableException;
import lossmeter.harness.node.HostKeyException;

/**
 * One SSH connection to a node, reused by everything the node does, and reopened when its
 * transport fails: a call that fails in transport (not a command's non-zero exit) is retried on a
 * fresh session, {@value #ATTEMPTS} times in all with a growing pause, then the node is
 * unreachable. Host key problems and a refused login are never retried.
 */
final class SshSession implements AutoCloseable {
    static final int ATTEMPTS = 3;
    private static final Duration FIRST_PAUSE = Duration.ofMillis(250);

    /** What a call does with a live session; a JSchException or IOException is a transport failure. */
    interface Call<T> {
        T on(Session session) throws JSchException, IOException;
    }

    private final SshAddress address;
    private final SshOptions options;
    private final JSch jsch = new JSch();
    private final HostKeys hostKeys;
    private final ShellPool shells = new ShellPool();
    private Session session;
    private volatile boolean closed;

    SshSession(SshAddress address, SshOptions options) {
        this.address = address;
        this.options = options;
        if (!Files.isRegularFile(options.key())) {
            throw new NodeException("no SSH key at " + options.key() + " (give one with --ssh-key)");
        }
        try {
            jsch.addIdentity(options.key().toString());
            hostKeys = new HostKeys(jsch, options.knownHosts(), options.acceptNewHostKeys());
            jsch.setHostKeyRepository(hostKeys);
        } catch (JSchException e) {
            throw new NodeException("cannot use the SSH key " + options.key() + ": " + e.getMessage(), e);
        }
    }

    SshAddress address() {
        return address;
    }

    /** The host key the node presented, as {@code type fingerprint}. */
    String hostKey() {
        return hostKeys.presented(address.knownHostsName());
    }

    /** The live session, connecting when there is none. */
    synchronized Session session() throws JSchException {
        if (closed) throw new NodeException("the SSH session to " + address + " is closed");
        if (session != null && session.isConnected()) return session;
        Session s = jsch.getSession(address.user(), address.host(), address.port());
        s.setConfig("StrictHostKeyChecking", "yes");
        s.setConfig("PreferredAuthentications", "publickey");
        // A dead peer is noticed within ~15 s even when no channel is busy.
        s.setServerAliveInterval(5000);
        s.setServerAliveCountMax(3);
        s.connect((int) options.connectTimeout().toMillis());
        session = s;
        return s;
    }

    /** Drops the session if it is still the one that failed, so the next call connects afresh. */
    private synchronized void drop(Session failed) {
        if (failed != null && failed == session) {
            session.disconnect();
            session = null;
        }
    }

    /** Runs {@code call}, retrying transport failures on fresh sessions; {@code what} names it in errors. */
    <T> T call(String what, Call<T> call) {
        Exception last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Session s = null;
            try {
                s = session();
                return call.on(s);
            } catch (JSchHostKeyException e) {
                throw hostKeyProblem(e);
            } catch (JSchException e) {
                if (isAuthFailure(e)) {
                    throw new NodeException("node " + address + " refused the login of " + address.user() + " with the key "
                            + options.key() + ": " + e.getMessage(), e);
                }
                if (s != null && s.isConnected() && !isTransport(e)) throw new NodeException(what + " on " + address + ": " + e.getMessage(), e);
                last = e;
            } catch (IOException e) {
                if (s != null && s.isConnected()) throw new NodeException(what + " on " + address + ": " + e.getMessage(), e);
                last = e;
            }
            drop(s);
            if (closed) break;
            if (attempt < ATTEMPTS) pause(FIRST_PAUSE.multipliedBy(1L << (attempt - 1)));
        }
        throw new NodeUnreachableException("node " + address + " is unreachable: " + what + " failed " + ATTEMPTS
                + " times over fresh SSH sessions; last: " + (last == null ? "closed" : last.getMessage()), last);
    }

    private static boolean isAuthFailure(JSchException e) {
        return e.getMessage() != null && e.getMessage().startsWith("Auth fail");
    }

    /** A channel that could not open on a live session is the command's problem; a dropped session is transport. */
    private static boolean isTransport(JSchException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("session is down") || m.contains("Session.connect") || m.contains("socket") || m.contains("timeout");
    }

    private HostKeyException hostKeyProblem(JSchHostKeyException e) {
        String key = hostKey();
        String known = options.knownHosts().toString();
        if (e instanceof JSchChangedHostKeyException) {
            return new HostKeyException("node " + address + " presented a host key (" + key + ") that differs from the one in " + known
                    + ": refused (it may be another machine; if the host was rebuilt, remove its line with ssh-keygen -R '"
                    + address.knownHostsName() + "' -f " + known + ")", e);
        }
        if (e instanceof JSchUnknownHostKeyException) {
            return new HostKeyException("node " + address + " presented an unknown host key (" + key + "), not in " + known
                    + ": refused; check the fingerprint and add it (ssh-keyscan -p " + address.port() + " " + address.host() + " >> " + known
                    + "), or pass --ssh-accept-new-host-keys", e);
        }
        return new HostKeyException("node " + address + ": host key refused: " + e.getMessage(), e);
    }

    /**
     * Runs a command line (for the login shell of the node's user) to completion, stdout and stderr
     * together, killed by the node when it outlives {@code timeout}. The exit code of a command
     * killed by a signal is 128 + the signal, as a shell reports it.
     */
    CommandResult exec(String what, String commandLine, Duration timeout) {
        long secs = Math.max(1, (timeout.toMillis() + 999) / 1000);
        String line = "timeout -s KILL " + secs + " sh -c " + lossmeter.faults.node.Shell.quote(commandLine);
        return call(what, s -> shells.run(s, line, timeout.plusSeconds(10)));
    }

    static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeException("interrupted", e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        shells.close();
        if (session != null) session.disconnect();
        session = null;
    }
}
