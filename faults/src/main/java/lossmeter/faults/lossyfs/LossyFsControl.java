package lossmeter.faults.lossyfs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.URLDecoder;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A client of one lossyfs process's control socket: one method per command, each returning the
 * parsed {@code ok} reply or throwing {@link LossyFsException} with lossyfs's {@code err} text.
 * Calls are serialised; one instance may be shared between threads.
 */
public final class LossyFsControl implements AutoCloseable {
    /** An {@code ok} reply: its text after "ok " and its {@code key=value} words. */
    public record Reply(String text, Map<String, String> fields) {
        public long number(String key) {
            String v = fields.get(key);
            if (v == null) throw new IllegalStateException("reply has no " + key + ": " + text);
            return Long.parseLong(v);
        }
    }

    /** Unsynced bytes per file (live path), their total, and pending metadata changes. */
    public record Report(long unsyncedBytes, int pendingMetadata, Map<String, Long> files) {
    }

    private final Object socket;
    private final java.io.Closeable channel;
    private final BufferedReader in;
    private final OutputStream out;

    private LossyFsControl(Object socket, java.io.InputStream in, OutputStream out, java.io.Closeable channel) {
        this.socket = socket;
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.out = out;
    }

    /** A client of the control socket at {@code socket} on this machine. */
    public static LossyFsControl connect(Path socket) throws LossyFsException {
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            return new LossyFsControl(socket, Channels.newInputStream(ch), Channels.newOutputStream(ch), ch);
        } catch (IOException e) {
            throw new LossyFsException("cannot connect to lossyfs control socket " + socket + ": " + e.getMessage(), e);
        }
    }

    /**
     * A client over an open connection to a control socket (on another node, forwarded over SSH);
     * {@code what} names the socket in errors. Closing the client closes {@code connection}.
     */
    public static LossyFsControl over(String what, java.io.InputStream in, OutputStream out, java.io.Closeable connection) {
        return new LossyFsControl(what, in, out, connection);
    }

    /** Mode, sector size, and the ENOSPC and fsync-EIO switches. */
    public Reply status() throws LossyFsException {
        return send("status");
    }

    /** Power loss: unsynced data and pending metadata are gone. Reply fields: files, bytes, meta. */
    public Reply dropUnsynced() throws LossyFsException {
        return send("drop-unsynced");
    }

    /** Torn power loss keeping a seeded random half of the unsynced sectors. Fields: kept, of, seed. */
    public Reply tornSectors(long seed) throws LossyFsException {
        return send("torn sectors " + seed);
    }

    /** Torn power loss keeping a seeded byte-exact prefix of the unsynced writes. Fields: kept, of, seed. */
    public Reply tornPrefix(long seed) throws LossyFsException {
        return send("torn prefix " + seed);
    }

    /** Torn power loss whose byte-exact cut falls among the last {@code tail} unsynced bytes. Fields: kept, of, seed. */
    public Reply tornPrefix(long seed, long tail) throws LossyFsException {
        return send("torn prefix " + seed + " " + tail);
    }

    /** Operations the target made since the last {@link #resetOps()}, by {@code op:path} (e.g. {@code write:/appendonly.aof}). */
    public Map<String, Long> ops() throws LossyFsException {
        Reply r = send("ops");
        Map<String, Long> out = new LinkedHashMap<>();
        r.fields().forEach((k, v) -> {
            if (k.indexOf(':') > 0) out.put(k, Long.parseLong(v));
        });
        return Collections.unmodifiableMap(out);
    }

    public Reply resetOps() throws LossyFsException {
        return send("ops reset");
    }

    /**
     * Arms a crash point: the {@code n}th {@code op} (counted from now) on a file whose path or name
     * matches {@code glob} is held before or after it takes effect ({@code action} "hold"), stalled
     * ("delay MS"), or starts ENOSPC ("enospc") or fsync EIO ("eio").
     */
    public Reply arm(IoOp.Phase phase, IoOp op, long n, String glob, String action) throws LossyFsException {
        if (glob.isBlank() || glob.chars().anyMatch(Character::isWhitespace)) throw new IllegalArgumentException("glob without spaces: " + glob);
        return send("arm " + phase.word() + " " + op.word() + " " + n + " " + glob + " " + action);
    }

    /** Waits up to {@code millis} for the armed point; the {@code fired} reply (fields path, offset, bytes, …) or null. */
    public Reply await(long millis) throws LossyFsException {
        Reply r = send("await " + millis);
        return r.text().startsWith("fired") ? r : null;
    }

    /** Lets a held operation go; {@code discard}: a held BEFORE operation fails without taking effect. */
    public Reply release(boolean discard) throws LossyFsException {
        return send(discard ? "release discard" : "release");
    }

    public Reply disarm() throws LossyFsException {
        return send("disarm");
    }

    /** Errors and delays lossyfs made the target see. Fields: enospc-errors, eio-errors, delayed-ops, delay-ms, held. */
    public Reply stats() throws LossyFsException {
        return send("stats");
    }

    /** Every write and create fails with ENOSPC ({@code true}) or space is unlimited again. */
    public Reply enospc(boolean on) throws LossyFsException {
        return send("enospc " + (on ? "on" : "off"));
    }

    /** {@code bytes} more bytes may be written (the one crossing the limit is short), then ENOSPC. */
    public Reply enospcAfter(long bytes) throws LossyFsException {
        return send("enospc-after " + bytes);
    }

    /** fsync fails with EIO (and drops that file's unsynced data): once, on, or off. */
    public Reply fsyncEio(FsyncEio mode) throws LossyFsException {
        return send("fsync-eio " + mode.name().toLowerCase(java.util.Locale.ROOT));
    }

    /** Makes everything durable now. */
    public Reply checkpoint() throws LossyFsException {
        return send("checkpoint");
    }

    public Report report() throws LossyFsException {
        Reply r = send("report");
        Map<String, Long> files = new LinkedHashMap<>();
        r.fields().forEach((k, v) -> {
            if (k.startsWith("/") || k.startsWith("(")) files.put(k, Long.parseLong(v));
        });
        return new Report(r.number("unsynced"), (int) r.number("meta"), Collections.unmodifiableMap(files));
    }

    /** Sends one raw command line; returns the parsed {@code ok} reply. */
    public synchronized Reply send(String command) throws LossyFsException {
        if (command.indexOf('\n') >= 0 || command.indexOf('\r') >= 0) throw new IllegalArgumentException("one line only");
        String line;
        try {
            out.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            line = in.readLine();
        } catch (IOException e) {
            throw new LossyFsException("lossyfs control " + socket + " failed on '" + command + "': " + e.getMessage(), e);
        }
        if (line == null) throw new LossyFsException("lossyfs control " + socket + " closed the connection on '" + command + "'");
        if (line.startsWith("err")) throw new LossyFsException("lossyfs refused '" + command + "': " + line.substring(3).strip());
        if (!line.startsWith("ok")) throw new LossyFsException("lossyfs sent an unexpected reply to '" + command + "': " + line);
        return parse(line.substring(2).strip());
    }

    static Reply parse(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String word : text.split(" ")) {
            int eq = word.lastIndexOf('=');
            if (eq > 0) fields.put(URLDecoder.decode(word.substring(0, eq), StandardCharsets.UTF_8), word.substring(eq + 1));
        }
        return new Reply(text, Collections.unmodifiableMap(fields));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
