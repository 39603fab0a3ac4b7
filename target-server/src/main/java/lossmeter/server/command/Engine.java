package lossmeter.server.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import lossmeter.server.aof.AofWriter;
import lossmeter.server.config.ServerConfig;
import lossmeter.server.keyspace.Database;
import lossmeter.server.keyspace.Key;
import lossmeter.server.log.Log;

/**
 * The single-threaded heart of the server: the databases, expiry, WATCH bookkeeping and the
 * propagation of changes to the AOF. Only the event-loop thread calls it, so command execution
 * is one total order and the server is linearizable by construction.
 */
public final class Engine {
    public final ServerConfig cfg;
    public final Log log;
    public final Stats stats = new Stats();
    public final CommandTable commands;
    public final Database[] dbs;
    public final String runId;

    /** Writes since the last save (INFO rdb_changes_since_last_save). */
    public long dirty;
    public long lastSaveUnix = System.currentTimeMillis() / 1000;
    public boolean loading;
    /** DEBUG SET-ACTIVE-EXPIRE 0 turns the cron's expiry off (keys still expire on access). */
    public boolean activeExpireEnabled = true;
    /** The AOF being appended to, or null when appendonly is off (or still loading). */
    public AofWriter aof;
    /** Hooks the server main installs: shutdown, client listing, and the like. */
    public ServerHooks hooks = ServerHooks.NONE;
    /** Background rewrites and snapshots; refused until the persistence layer is installed. */
    public Persistence persistence = Persistence.NONE;

    private final Map<Key, List<Client>>[] watchers;
    private final List<Pending> pending = new ArrayList<>();
    private int execDepth;
    private final SplittableRandom unsafeRandom = new SplittableRandom(0x5eedL);

    /** A change waiting to be appended to the AOF at the end of the current command. */
    private record Pending(int db, byte[][] argv) {
    }

    @SuppressWarnings("unchecked")
    public Engine(ServerConfig cfg, Log log, CommandTable commands) {
        this.cfg = cfg;
        this.log = log;
        this.commands = commands;
        this.dbs = new Database[cfg.databases];
        this.watchers = new Map[cfg.databases];
        for (int i = 0; i < dbs.length; i++) {
            dbs[i] = new Database(i);
            watchers[i] = new HashMap<>();
        }
        // An identifier, not a secret: seeding SecureRandom would cost tens of ms at every start.
        var rnd = new SplittableRandom(System.nanoTime() ^ ProcessHandle.current().pid());
        StringBuilder id = new StringBuilder(40);
        while (id.length() < 40) id.append(String.format("%016x", rnd.nextLong()));
        this.runId = id.substring(0, 40);
    }

    public long now() {
        return System.currentTimeMillis();
    }

    // ---- expiry ------------------------------------------------------------------------------

    /**
     * Deletes the key if its time has come, propagating a DEL as Redis does so that the AOF
     * replays the same history. While loading, keys never expire: the file decides.
     */
    public boolean expireIfNeeded(Database db, Key key) {
        long at = db.expireAt(key);
        if (at < 0 || loading || at >= now()) return false;
        deleteExpired(db, key);
        return true;
    }

    void deleteExpired(Database db, Key key) {
        db.remove(key);
        stats.expiredKeys++;
        signalModified(db.id(), key);
        propagate(db.id(), new byte[][]{DEL, key.bytes()});
    }

    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);

    /** Active expiry, run from the cron: samples keys with a TTL, repeats while many were expired. */
    public void activeExpireCycle(long budgetMillis) {
        if (loading) return;
        long deadline = now() + budgetMillis;
        var rnd = java.util.concurrent.ThreadLocalRandom.current();
        for (Database db : dbs) {
            int rounds = 0;
            while (db.expiresSize() > 0 && rounds++ < 1000) {
                int sampled = 0, expired = 0;
                long t = now();
                for (int i = 0; i < 20 && db.expiresSize() > 0; i++) {
                    Key k = db.randomExpiringKey(rnd);
                    if (k == null) break;
                    sampled++;
                    long at = db.expireAt(k);
                    if (at >= 0 && at < t) {
                        deleteExpired(db, k);
                        // Each expiry is its own record, as in Redis: no MULTI around unrelated keys.
                        flushPropagation();
                        expired++;
                    }
                }
                if (sampled == 0 || expired * 4 <= sampled || now() > deadline) break;
            }
        }
    }

    // ---- WATCH -------------------------------------------------------------------------------

    public void watch(Client c, int db, Key key) {
        for (Client.Watched w : c.watched) {
            if (w.db() == db && w.key().equals(key)) return;
        }
        c.watched.add(new Client.Watched(db, key));
        watchers[db].computeIfAbsent(key, k -> new ArrayList<>(2)).add(c);
    }

    public void unwatchAll(Client c) {
        for (Client.Watched w : c.watched) {
            List<Client> l = watchers[w.db()].get(w.key());
            if (l != null) {
                l.remove(c);
                if (l.isEmpty()) watchers[w.db()].remove(w.key());
            }
        }
        c.watched.clear();
        c.dirtyCas = false;
    }

    /** Every write calls this for each key it changes: a WATCHing client's EXEC must then fail. */
    public void signalModified(int db, Key key) {
        Map<Key, List<Client>> m = watchers[db];
        if (m.isEmpty()) return;
        List<Client> l = m.get(key);
        if (l != null) for (Client c : l) c.dirtyCas = true;
    }

    /** FLUSHDB/FLUSHALL: every watched key that existed counts as modified. */
    public void signalFlushed(int db) {
        for (Map.Entry<Key, List<Client>> e : watchers[db].entrySet()) {
            if (dbs[db].get(e.getKey()) != null) for (Client c : e.getValue()) c.dirtyCas = true;
        }
    }

    // ---- propagation -------------------------------------------------------------------------

    /** Queues a change for the AOF; it is appended when the current command (or EXEC) ends. */
    public void propagate(int db, byte[][] argv) {
        if (loading || aof == null) return;
        pending.add(new Pending(db, argv));
    }

    void enterExec() {
        execDepth++;
    }

    void exitExec() {
        execDepth--;
    }

    /**
     * Appends what the last command changed to the AOF buffer. A command or transaction that
     * changed more than one thing (e.g. an expired key deleted before a SET, or EXEC) is written as
     * MULTI … EXEC in one piece, as Redis 7.0 does, so a crash keeps all or none of it.
     */
    public void flushPropagation() {
        if (execDepth > 0) return;
        boolean transaction = transactionEnded;
        transactionEnded = false;
        if (pending.isEmpty()) return;
        List<Pending> ops = dropUnsafe(pending);
        pending.clear();
        if (aof == null || ops.isEmpty()) return;
        if (ops.size() == 1) {
            for (Pending p : ops) aof.feed(p.db, p.argv);
        } else if (transaction && cfg.unsafeLogHalfTransaction) {
            for (int i = 0; i < (ops.size() + 1) / 2; i++) aof.feed(ops.get(i).db, ops.get(i).argv);
        } else {
            aof.feed(ops.get(0).db, new byte[][]{MULTI});
            for (Pending p : ops) aof.feed(p.db, p.argv);
            aof.feed(ops.get(ops.size() - 1).db, new byte[][]{EXEC});
        }
    }

    private boolean transactionEnded;

    /** Marks the pending changes as one transaction (EXEC calls it before flushing). */
    void markTransaction() {
        transactionEnded = true;
    }

    private List<Pending> dropUnsafe(List<Pending> ops) {
        if (!cfg.unsafeForgetFlushall && cfg.unsafeDropAofWrites <= 0) return new ArrayList<>(ops);
        List<Pending> out = new ArrayList<>(ops.size());
        for (Pending p : ops) {
            String name = new String(p.argv[0], StandardCharsets.US_ASCII).toUpperCase(java.util.Locale.ROOT);
            if (cfg.unsafeForgetFlushall && (name.equals("FLUSHALL") || name.equals("FLUSHDB"))) continue;
            if (cfg.unsafeDropAofWrites > 0 && unsafeRandom.nextDouble() < cfg.unsafeDropAofWrites) continue;
            out.add(p);
        }
        return out;
    }

    private static final byte[] MULTI = "MULTI".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EXEC = "EXEC".getBytes(StandardCharsets.US_ASCII);

    /**
     * Null while write commands may run; otherwise why not (the MISCONF text without its code):
     * a failed BGSAVE with {@code stop-writes-on-bgsave-error}, checked first as Redis does, or an
     * AOF write or fsync error.
     */
    public String writeDeniedReason() {
        String rdb = persistence.writeDeniedReason();
        if (rdb != null) return rdb;
        return aof == null ? null : aof.writeDeniedReason();
    }

    // ---- datasets ------------------------------------------------------------------------------

    public Database db(int index) {
        return dbs[index];
    }

    public long totalKeys() {
        long n = 0;
        for (Database d : dbs) n += d.size();
        return n;
    }

    public void flushAll() {
        for (Database d : dbs) {
            signalFlushed(d.id());
            d.clear();
        }
    }
}
