package lossmeter.server.command;

import java.nio.charset.StandardCharsets;

import lossmeter.server.keyspace.Database;
import lossmeter.server.keyspace.Key;
import lossmeter.server.keyspace.ListValue;
import lossmeter.server.resp.ReplyBuffer;

/**
 * One execution of a command: its arguments, the client, the engine, and the helpers commands
 * share (argument parsing with Redis's error texts, typed lookups that apply expiry, and control
 * over what is propagated to the AOF).
 */
public final class Call {
    public final Engine engine;
    public final Client client;
    public final CommandSpec spec;
    public final byte[][] argv;
    final Dispatcher dispatcher;

    byte[][] propagateAs;
    boolean noPropagate;

    Call(Dispatcher dispatcher, Client client, CommandSpec spec, byte[][] argv) {
        this.dispatcher = dispatcher;
        this.engine = dispatcher.engine();
        this.client = client;
        this.spec = spec;
        this.argv = argv;
    }

    public ReplyBuffer reply() {
        return client.out;
    }

    public Database db() {
        return engine.dbs[client.db];
    }

    public int argc() {
        return argv.length;
    }

    public Key key(int i) {
        return Key.of(argv[i]);
    }

    public byte[] arg(int i) {
        return argv[i];
    }

    public String str(int i) {
        return new String(argv[i], StandardCharsets.UTF_8);
    }

    /** True when argument i equals the given upper-case option name, ignoring case. */
    public boolean is(int i, String option) {
        byte[] a = argv[i];
        if (a.length != option.length()) return false;
        for (int k = 0; k < a.length; k++) {
            int c = a[k] & 0xff;
            if (c >= 'a' && c <= 'z') c -= 32;
            if (c != option.charAt(k)) return false;
        }
        return true;
    }

    /** Argument i as a 64-bit integer, or {@code -ERR value is not an integer or out of range}. */
    public long longArg(int i) {
        long v = Numbers.parseLong(argv[i]);
        if (v == Numbers.INVALID && !Numbers.isMinValue(argv[i])) throw new CommandError(CommandError.NOT_INTEGER);
        return v;
    }

    // ---- lookups with expiry -----------------------------------------------------------------

    /** The value for reading (expired keys are deleted first); counts hits and misses. */
    public Object read(Key key) {
        Database db = db();
        engine.expireIfNeeded(db, key);
        Object v = db.get(key);
        if (v == null) engine.stats.keyspaceMisses++;
        else engine.stats.keyspaceHits++;
        return v;
    }

    /** The value for writing (expired keys are deleted first). */
    public Object write(Key key) {
        Database db = db();
        engine.expireIfNeeded(db, key);
        return db.get(key);
    }

    public byte[] readString(Key key) {
        Object v = read(key);
        if (v == null || v instanceof byte[]) return (byte[]) v;
        throw new CommandError(CommandError.WRONGTYPE);
    }

    public ListValue readList(Key key) {
        Object v = read(key);
        if (v == null || v instanceof ListValue) return (ListValue) v;
        throw new CommandError(CommandError.WRONGTYPE);
    }

    /** The list for changing in place (copied first if a snapshot still shares it), or null. */
    public ListValue writeList(Key key) {
        Object v = write(key);
        if (v == null) return null;
        if (v instanceof ListValue) return db().listForWrite(key);
        throw new CommandError(CommandError.WRONGTYPE);
    }

    // ---- effects ------------------------------------------------------------------------------

    /** Records that the command changed n things; a write command that changed nothing is not logged. */
    public void dirty(long n) {
        engine.dirty += n;
    }

    /** Every write calls this for each key it changes (WATCH). */
    public void touched(Key key) {
        engine.signalModified(client.db, key);
    }

    /** Logs these arguments to the AOF instead of the command's own (e.g. relative expiry as absolute). */
    public void propagateAs(byte[]... argv) {
        this.propagateAs = argv;
    }

    /** Logs nothing for this command even though it changed the dataset (it propagated its own records). */
    public void noPropagate() {
        this.noPropagate = true;
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] bytes(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }
}
