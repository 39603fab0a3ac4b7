package lossmeter.server.command;

import java.util.ArrayList;
import java.util.List;

import lossmeter.server.keyspace.Key;
import lossmeter.server.resp.ReplyBuffer;

/**
 * The state of one client connection that commands see and change: the selected database, the
 * transaction in progress, watched keys, and the replies waiting to be written. The network layer
 * owns the socket; everything here is touched by the event-loop thread only.
 */
public final class Client {
    /** A command queued inside MULTI. */
    public record Queued(CommandSpec spec, byte[][] argv) {
    }

    /** A watched key: the database it lives in and the key. */
    public record Watched(int db, Key key) {
    }

    private final long id;
    private final String addr;
    private final long createdMillis = System.currentTimeMillis();
    public final ReplyBuffer out = new ReplyBuffer(1024);

    public int db;
    public String name = "";
    public boolean authenticated;
    public boolean closeAfterReply;
    public long lastInteractionMillis = createdMillis;
    /** Replies in {@link #out} acknowledge writes still in the AOF buffer: they wait for the write. */
    public boolean awaitingAof;
    public String lastCommand = "NULL";
    /** Bytes waiting in the connection's query buffer (kept by the network layer for CLIENT LIST and INFO). */
    public int queryBufferBytes;

    // transaction state
    public boolean inMulti;
    public boolean multiError;
    public final List<Queued> queued = new ArrayList<>();
    public final List<Watched> watched = new ArrayList<>();
    /** Set when a watched key was touched since WATCH: EXEC must then fail. */
    public boolean dirtyCas;

    public Client(long id, String addr) {
        this.id = id;
        this.addr = addr;
    }

    public long id() {
        return id;
    }

    public String addr() {
        return addr;
    }

    public long createdMillis() {
        return createdMillis;
    }

    public void discardTransaction() {
        inMulti = false;
        multiError = false;
        queued.clear();
    }
}
