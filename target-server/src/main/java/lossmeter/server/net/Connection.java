package lossmeter.server.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

import lossmeter.server.command.Client;
import lossmeter.server.resp.RequestParser;

/** One client socket: its input buffer and parser, and the {@link Client} state commands see. */
final class Connection {
    final SocketChannel channel;
    final SelectionKey key;
    final Client client;
    final RequestParser parser;
    ByteBuffer in = ByteBuffer.allocate(16 * 1024);
    boolean pendingWrite;
    boolean closed;
    /** Bytes the incomplete request at the start of the buffer still needs in all (0 = unknown). */
    int pendingRequestBytes;

    /** Redis's client-query-buffer-limit: a client whose unparsed input grows past it is dropped. */
    static final int QUERY_BUFFER_LIMIT = 1 << 30;

    Connection(SocketChannel channel, SelectionKey key, Client client, long maxBulkLen) {
        this.channel = channel;
        this.key = key;
        this.client = client;
        this.parser = new RequestParser(RequestParser.Mode.SOCKET, maxBulkLen);
    }

    /** Makes room for more input: compacts, and grows when a single request needs more space. */
    void prepareRead() {
        if (in.position() < in.capacity()) return;
        long need = Math.max((long) in.capacity() * 2, (long) pendingRequestBytes + 64);
        if (need > QUERY_BUFFER_LIMIT) need = QUERY_BUFFER_LIMIT;
        if (need <= in.capacity()) throw new IllegalStateException("query buffer limit reached");
        ByteBuffer bigger = ByteBuffer.allocate((int) need);
        in.flip();
        bigger.put(in);
        in = bigger;
    }

    /** Drops the bytes the parser consumed. */
    void consumed(int n) {
        if (n == 0) return;
        in.flip();
        in.position(n);
        in.compact();
        if (in.capacity() > 1 << 20 && in.position() < 16 * 1024) {
            ByteBuffer small = ByteBuffer.allocate(16 * 1024);
            in.flip();
            small.put(in);
            in = small;
        }
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
