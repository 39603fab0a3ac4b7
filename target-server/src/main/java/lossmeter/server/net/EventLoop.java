package lossmeter.server.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import lossmeter.server.command.Client;
import lossmeter.server.command.Dispatcher;
import lossmeter.server.command.Engine;
import lossmeter.server.resp.ProtocolException;

/**
 * The server's one thread: accept, read, parse, execute, then — before sleeping — write the AOF
 * and only after it the replies. Because replies leave only in {@link #beforeSleep()}, after the
 * AOF write (and fsync under {@code always}) of the same iteration, no client is ever told OK
 * about a write the file does not hold.
 */
public final class EventLoop {
    private final Engine engine;
    private final Dispatcher dispatcher;
    private final Selector selector;
    private final List<ServerSocketChannel> listeners = new ArrayList<>();
    private final List<Connection> connections = new ArrayList<>();
    private final List<Connection> pendingWrites = new ArrayList<>();
    private final Runnable cron;
    private final HeapCaps caps = HeapCaps.ofThisJvm();
    private long nextClientId = 1;
    private long nextCronMillis;
    private long lastUnsafeAofFlush;
    private volatile boolean stopRequested;
    private int port;

    public EventLoop(Engine engine, Dispatcher dispatcher, Runnable cron) throws IOException {
        this.engine = engine;
        this.dispatcher = dispatcher;
        this.cron = cron;
        this.selector = Selector.open();
    }

    /** Binds every address of {@code bind} on the port (0 = any free port); returns the port bound. */
    public int listen(String bind, int requestedPort, int backlog) throws IOException {
        int p = requestedPort;
        for (String addr : bind.trim().split("\\s+")) {
            String a = addr.startsWith("-") ? addr.substring(1) : addr;
            ServerSocketChannel ss = ServerSocketChannel.open();
            ss.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ss.bind(new InetSocketAddress(a, p), backlog);
            ss.configureBlocking(false);
            ss.register(selector, SelectionKey.OP_ACCEPT);
            listeners.add(ss);
            p = ((InetSocketAddress) ss.getLocalAddress()).getPort();
        }
        this.port = p;
        return p;
    }

    public int port() {
        return port;
    }

    /** What the heap allows one client's buffer and all of them together (see {@link HeapCaps}), for the start-up log. */
    public long[] heapCaps() {
        return new long[]{caps.perClient, caps.budget.max()};
    }

    public List<Client> clients() {
        List<Client> out = new ArrayList<>(connections.size());
        for (Connection c : connections) out.add(c.client);
        return out;
    }

    public boolean kill(long clientId) {
        for (Connection c : connections) {
            if (c.client.id() == clientId) {
                c.client.closeAfterReply = true;
                markPending(c);
                return true;
            }
        }
        return false;
    }

    /** Asks the loop to return from {@link #run()} (any thread). */
    public void stop() {
        stopRequested = true;
        selector.wakeup();
    }

    public void wakeup() {
        selector.wakeup();
    }

    /** Runs until {@link #stop()}. */
    public void run() throws IOException {
        while (!stopRequested) iterate(true);
    }

    /** One pass that never blocks: used while loading, so clients get -LOADING instead of silence. */
    public void processEventsNow() throws IOException {
        iterate(false);
    }

    private void iterate(boolean block) throws IOException {
        beforeSleep();
        long now = System.currentTimeMillis();
        long wait = Math.max(1, nextCronMillis - now);
        if (block) selector.select(wait);
        else selector.selectNow();
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
            SelectionKey k = it.next();
            it.remove();
            if (!k.isValid()) continue;
            if (k.isAcceptable()) {
                accept((ServerSocketChannel) k.channel());
                continue;
            }
            Connection c = (Connection) k.attachment();
            if (k.isValid() && k.isReadable()) read(c);
            if (k.isValid() && k.isWritable()) markPending(c);
        }
        now = System.currentTimeMillis();
        if (now >= nextCronMillis) {
            nextCronMillis = now + Math.max(1, 1000 / engine.cfg.hz);
            cron.run();
        }
    }

    /**
     * Runs before the loop sleeps: first the AOF write (and fsync under always), then the replies.
     * This order is the durability promise of the write path; the unsafe test switch reverses it.
     */
    private void beforeSleep() throws IOException {
        // A background rewrite that ended switches files here, before this iteration's AOF write.
        engine.persistence.beforeSleep();
        var aof = engine.aof;
        if (aof != null && engine.cfg.unsafeReplyBeforeAofWrite) {
            writeReplies();
            long now = System.currentTimeMillis();
            if (now - lastUnsafeAofFlush >= 200) {
                aof.flush(false);
                lastUnsafeAofFlush = now;
            }
            return;
        }
        boolean written = aof == null || aof.flush(false);
        writeReplies(written);
        if (aof != null) aof.syncDeferred();
    }

    private void writeReplies() {
        writeReplies(true);
    }

    /**
     * Writes pending replies. When the AOF buffer could not be written (everysec postponement, a
     * write error), clients whose replies acknowledge buffered writes keep waiting.
     */
    private void writeReplies(boolean aofWritten) {
        if (pendingWrites.isEmpty()) return;
        List<Connection> held = null;
        for (int i = 0; i < pendingWrites.size(); i++) {
            Connection c = pendingWrites.get(i);
            c.pendingWrite = false;
            if (c.closed) continue;
            if (c.client.awaitingAof) {
                if (!aofWritten) {
                    if (held == null) held = new ArrayList<>();
                    held.add(c);
                    continue;
                }
                c.client.awaitingAof = false;
            }
            try {
                int before = c.client.out.length();
                boolean all = c.flushOutput();
                engine.stats.totalNetOutputBytes += before - c.client.out.length();
                if (all) {
                    if (c.client.closeAfterReply) {
                        close(c);
                        continue;
                    }
                    if ((c.key.interestOps() & SelectionKey.OP_WRITE) != 0) c.key.interestOps(SelectionKey.OP_READ);
                } else {
                    c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                }
            } catch (IOException e) {
                close(c);
            }
        }
        pendingWrites.clear();
        if (held != null) for (Connection c : held) markPending(c);
    }

    private void markPending(Connection c) {
        if (!c.pendingWrite) {
            c.pendingWrite = true;
            pendingWrites.add(c);
        }
    }

    private void accept(ServerSocketChannel ss) throws IOException {
        SocketChannel ch;
        while ((ch = ss.accept()) != null) {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            engine.stats.totalConnections++;
            if (connections.size() >= engine.cfg.maxclients) {
                engine.stats.rejectedConnections++;
                try {
                    ch.write(java.nio.ByteBuffer.wrap("-ERR max number of clients reached\r\n".getBytes()));
                } catch (IOException ignored) {
                    // The refusal is best effort; the connection is closed either way.
                }
                ch.close();
                continue;
            }
            String addr = remote(ch);
            SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
            Client client = new Client(nextClientId++, addr);
            client.out.bound(caps.perClient, caps.budget);
            Connection c = new Connection(ch, key, client, engine.cfg.protoMaxBulkLen, caps.budget);
            key.attach(c);
            connections.add(c);
        }
    }

    private static String remote(SocketChannel ch) {
        try {
            var a = (InetSocketAddress) ch.getRemoteAddress();
            String host = a.getAddress().getHostAddress();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
        } catch (IOException e) {
            return "?:0";
        }
    }

    private void read(Connection c) {
        if (c.client.closeAfterReply) return;
        if (!c.prepareRead(caps.queryLimit(engine.cfg.clientQueryBufferLimit))) {
            c.client.queryBufferBytes = c.in.position();
            engine.stats.clientQueryBufferLimitDisconnections++;
            engine.log.warning(ClosingReason.queryLimit(c.client, port, c.in.array(), c.in.position()));
            close(c);
            return;
        }
        int n;
        try {
            n = c.channel.read(c.in);
        } catch (IOException e) {
            close(c);
            return;
        }
        if (n < 0) {
            close(c);
            return;
        }
        engine.stats.totalNetInputBytes += n;
        c.parser.maxBulkLen(engine.cfg.protoMaxBulkLen);
        c.parser.unauthenticated(!engine.cfg.requirepass.isEmpty() && !c.client.authenticated);
        c.parser.feed(c.in.array(), 0, c.in.position(), 0);
        try {
            byte[][] argv;
            while (!c.client.closeAfterReply && (argv = c.parser.next()) != null) {
                if (argv.length == 0) continue;
                dispatcher.process(c.client, argv);
                if (closedOverOutputLimit(c)) return;
                c.parser.unauthenticated(!engine.cfg.requirepass.isEmpty() && !c.client.authenticated);
            }
        } catch (ProtocolException e) {
            // Redis answers a protocol error and closes the connection once the reply is out.
            c.client.out.error(e.getMessage());
            c.client.closeAfterReply = true;
            c.parser.reset();
        }
        // The size hint is taken before compaction moves the unconsumed bytes to the front.
        c.pendingRequestBytes = c.parser.pendingBulkBytes();
        c.consumed(c.parser.position());
        if (!c.client.out.isEmpty() || c.client.closeAfterReply) markPending(c);
    }

    /** Redis's closeClientOnOutputBufferLimitReached for a normal client, checked after each command. */
    private boolean closedOverOutputLimit(Connection c) {
        if (!OutputLimit.reached(c, engine.cfg.clientOutputBufferLimit.normal(), System.currentTimeMillis())) return false;
        engine.stats.clientOutputBufferLimitDisconnections++;
        engine.log.warning(ClosingReason.outputLimit(c.client, port));
        close(c);
        return true;
    }

    private void close(Connection c) {
        if (c.closed) return;
        c.closed = true;
        c.release();
        engine.unwatchAll(c.client);
        connections.remove(c);
        c.key.cancel();
        try {
            c.channel.close();
        } catch (IOException ignored) {
            // Nothing left to do for a socket that fails to close.
        }
    }

    /** Closes every socket (shutdown). */
    public void closeAll() {
        for (Connection c : new ArrayList<>(connections)) close(c);
        for (ServerSocketChannel ss : listeners) {
            try {
                ss.close();
            } catch (IOException ignored) {
                // Shutting down: the process exits next.
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // Shutting down.
        }
    }
}
