package lossmeter.harness.node.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;

import lossmeter.faults.node.CommandResult;
import lossmeter.faults.node.NodeException;
import lossmeter.faults.node.Shell;

/**
 * Long-lived shells on a node, one per SSH channel, that run the harness's commands one after
 * another: a command costs a line written and its output read back, instead of a new channel and
 * the login shell's start-up (which runs the user's shell start files on every SSH command). A
 * command line goes base64-encoded on one line; the shell runs it with empty stdin and answers
 * with its output and a closing line {@code <marker> <exit code>} whose marker is drawn at random
 * per shell. At most {@link #MAX} shells exist at once (sshd allows 10 channels per connection by
 * default, and the run lock and SFTP take one each); a caller waits for a free one.
 */
final class ShellPool {
    static final int MAX = 6;
    private static final String LOOP = """
            m=$1
            while IFS= read -r line; do
              s=$(printf '%s' "$line" | base64 -d) || s='exit 98'
              sh -c "$s" </dev/null 2>&1
              printf '\\n%s %s\\n' "$m" "$?"
            done
            """;

    private final Deque<RemoteShell> idle = new ArrayDeque<>();
    private final List<RemoteShell> all = new ArrayList<>();
    private boolean closed;

    /** Runs one command line in a shell of {@code session}; an IOException or JSchException is a transport failure. */
    CommandResult run(Session session, String commandLine, Duration timeout) throws JSchException, IOException {
        RemoteShell shell = take(session, timeout);
        boolean ok = false;
        try {
            CommandResult r = shell.run(commandLine, timeout);
            ok = true;
            return r;
        } finally {
            give(shell, ok);
        }
    }

    private RemoteShell take(Session session, Duration timeout) throws JSchException, IOException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                if (closed) throw new NodeException("the node's shells are closed");
                // Shells of an older session died with it.
                idle.removeIf(s -> {
                    if (s.session == session && s.usable()) return false;
                    all.remove(s);
                    s.close();
                    return true;
                });
                RemoteShell s = idle.pollFirst();
                if (s != null) return s;
                if (all.size() < MAX) break;
                long left = end - System.nanoTime();
                if (left <= 0) throw new NodeException("every shell on the node stayed busy for " + timeout.toSeconds() + "s");
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new NodeException("interrupted while waiting for a shell", e);
                }
            }
            all.add(null); // a place for the shell being opened, so the count holds
        }
        RemoteShell s = null;
        try {
            s = RemoteShell.open(session);
            return s;
        } finally {
            synchronized (this) {
                all.remove(null);
                if (s != null) all.add(s);
                notifyAll();
            }
        }
    }

    private synchronized void give(RemoteShell shell, boolean ok) {
        if (ok && !closed && shell.usable()) {
            idle.addFirst(shell);
        } else {
            all.remove(shell);
            shell.close();
        }
        notifyAll();
    }

    /** Ends every shell: end of input to each, then their exits (a few seconds at most), then the channels. */
    synchronized void close() {
        closed = true;
        List<ChannelExec> channels = new ArrayList<>();
        for (RemoteShell s : all) {
            if (s == null) continue;
            s.endInput();
            channels.add(s.channel);
        }
        awaitEnd(channels, Duration.ofSeconds(3));
        for (RemoteShell s : all) if (s != null) s.close();
        all.clear();
        idle.clear();
        notifyAll();
    }

    /** One shell on its channel. */
    private static final class RemoteShell {
        final Session session;
        final ChannelExec channel;
        private final OutputStream in;
        private final ChannelBuffer out;
        private final String marker;
        private boolean broken;

        private RemoteShell(Session session, ChannelExec channel, OutputStream in, ChannelBuffer out, String marker) {
            this.session = session;
            this.channel = channel;
            this.in = in;
            this.out = out;
            this.marker = marker;
        }

        static RemoteShell open(Session session) throws JSchException, IOException {
            String marker = "lossmeter-done-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
            ChannelExec ch = (ChannelExec) session.openChannel("exec");
            ch.setCommand("exec sh -c " + Shell.quote(LOOP) + " lossmeter-shell " + marker);
            OutputStream in = ch.getOutputStream();
            ChannelBuffer out = new ChannelBuffer();
            ch.setOutputStream(out);
            ch.connect((int) SshOptions.DEFAULT_CONNECT_TIMEOUT.toMillis());
            return new RemoteShell(session, ch, in, out, marker);
        }

        boolean usable() {
            return !broken && channel.isConnected() && !channel.isClosed() && session.isConnected();
        }

        CommandResult run(String commandLine, Duration timeout) throws IOException {
            broken = true; // until the closing line is read, the stream is mid-command
            in.write((Base64.getEncoder().encodeToString(commandLine.getBytes(StandardCharsets.UTF_8)) + "\n").getBytes(StandardCharsets.US_ASCII));
            in.flush();
            List<String> lines = new ArrayList<>();
            long end = System.nanoTime() + timeout.toNanos();
            while (true) {
                byte[] raw;
                try {
                    raw = out.readLine(Math.max(1, (end - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new NodeException("interrupted while '" + commandLine + "' ran", e);
                } catch (IOException e) {
                    if (!session.isConnected()) throw e;
                    throw new NodeException("'" + commandLine + "' did not end within " + timeout.toSeconds() + "s");
                }
                if (raw == null) {
                    throw new IOException("the shell on the node ended (exit " + channel.getExitStatus() + ", session "
                            + (session.isConnected() ? "up" : "down") + ") while '" + commandLine + "' ran; it said: " + lines);
                }
                String line = new String(raw, StandardCharsets.UTF_8);
                if (line.endsWith("\n")) line = line.substring(0, line.length() - 1);
                if (line.startsWith(marker + " ")) {
                    int code = Integer.parseInt(line.substring(marker.length() + 1).strip());
                    broken = false;
                    return new CommandResult(code, String.join("\n", lines));
                }
                lines.add(line);
            }
        }

        void endInput() {
            try {
                in.close();
            } catch (IOException ignored) {
                // the channel is gone already
            }
        }

        void close() {
            channel.disconnect();
        }
    }

    /** Waits until the node has closed each channel (its command ended), or {@code max} passed. */
    static void awaitEnd(List<ChannelExec> channels, Duration max) {
        long end = System.nanoTime() + max.toNanos();
        for (ChannelExec ch : channels) {
            while (!ch.isClosed() && ch.isConnected() && System.nanoTime() < end) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
