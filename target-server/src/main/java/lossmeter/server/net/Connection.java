package lossmeter.server.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

import lossmeter.server.command.Client;
import lossmeter.server.resp.BufferBudget;
import lossmeter.server.resp.RequestParser;

/** One client socket: its input buffer and parser, and the {@link Client} state commands see. */
final class Connection {
    static final int INITIAL_INPUT = 16 * 1024;

    final SocketChannel channel;
    final SelectionKey key;
    final Client client;
    final RequestParser parser;
    private final BufferBudget budget;
    ByteBuffer in = ByteBuffer.allocate(INITIAL_INPUT);
    /** Bytes of {@link #budget} the input buffer holds beyond its initial size. */
    private long charged;
    boolean pendingWrite;
    boolean closed;
    /** Bytes the incomplete request at the start of the buffer still needs in all (0 = unknown). */
    int pendingRequestBytes;
    /** When the replies were first seen over the soft output limit, 0 when they are not (Redis's obuf_soft_limit_reached_time). */
    long softLimitSinceMillis;

    Connection(SocketChannel channel, SelectionKey key, Client client, long maxBulkLen, BufferBudget budget) {
        this.channel = channel;
        this.key = key;
        this.client = client;
        this.budget = budget;
        this.parser = new RequestParser(RequestParser.Mode.SOCKET, maxBulkLen);
    }

    /**
     * Makes room for more input: compacts, and grows when a single request needs more space.
     * Returns false when the query buffer would pass {@code limit} (Redis's
     * client-query-buffer-limit, or what the heap allows) or the shared budget: the client must go.
     */
    boolean prepareRead(long limit) {
        if (in.position() < in.capacity()) return true;
        long need = Math.max((long) in.capacity() * 2, (long) pendingRequestBytes + 64);
        long cap = Math.min(limit, Integer.MAX_VALUE - 16);
        if (need > cap) need = cap;
        if (need <= in.capacity()) return false;
        long extra = need - INITIAL_INPUT - charged;
        if (!budget.reserve(extra)) return false;
        ByteBuffer bigger;
        try {
            bigger = ByteBuffer.allocate((int) need);
        } catch (OutOfMemoryError e) {
            // Nothing changed yet: an input buffer the heap cannot hold is one more way to be over the limit.
            budget.release(extra);
            return false;
        }
        charged += extra;
        in.flip();
        bigger.put(in);
        in = bigger;
        return true;
    }

    /** Drops the bytes the parser consumed. */
    void consumed(int n) {
        if (n > 0) {
            in.flip();
            in.position(n);
            in.compact();
            if (in.capacity() > 1 << 20 && in.position() < INITIAL_INPUT) {
                ByteBuffer small = ByteBuffer.allocate(INITIAL_INPUT);
                in.flip();
                small.put(in);
                in = small;
                budget.release(charged);
                charged = 0;
            }
        }
        client.queryBufferBytes = in.position();
    }

    /** Gives the buffers' memory back to the budget (the connection is closed). */
    void release() {
        budget.release(charged);
        charged = 0;
        client.out.release();
    }

    /** Writes as much of the pending output as the socket takes; true when all of it went out. */
    boolean flushOutput() throws IOException {
        var out = client.out;
        while (!out.isEmpty()) {
            int n = channel.write(out.asByteBuffer());
            if (n == 0) return false;
            out.consume(n);
        }
        return true;
    }
}
