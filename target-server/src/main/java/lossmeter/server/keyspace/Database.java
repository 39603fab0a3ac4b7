package lossmeter.server.keyspace;

import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;

/**
 * One of the numbered databases: the keys with their values (a {@code byte[]} string or a
 * {@link ListValue}) and their absolute expiry times in unix milliseconds. It knows nothing of
 * time or propagation: the command layer decides when a key has expired.
 */
public final class Database {
    private final int id;
    private HashTrie<Object> data = new HashTrie<>();
    private HashTrie<Long> expires = new HashTrie<>();
    /**
     * Lists tagged with this token may be mutated in place; {@link #snapshot()} replaces it, so
     * every list the snapshot shares is copied before its first write.
     */
    private Object epoch = new Object();

    public Database(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public Object get(Key key) {
        return data.get(key);
    }

    public void put(Key key, Object value) {
        data.put(key, adopt(value));
    }

    /** Replaces the value and clears any expiry (SET's semantics). */
    public void overwrite(Key key, Object value) {
        data.put(key, adopt(value));
        if (!expires.isEmpty()) expires.remove(key);
    }

    /**
     * The list stored at {@code key}, safe to mutate in place: a list still shared with a
     * snapshot is copied and the copy stored first. Null when the key holds no list. Every
     * command that changes a list in place must get it from here.
     */
    public ListValue listForWrite(Key key) {
        if (!(data.get(key) instanceof ListValue l)) return null;
        if (l.owner == epoch) return l;
        ListValue copy = new ListValue(l);
        copy.owner = epoch;
        data.put(key, copy);
        return copy;
    }

    /** A list stored for the first time belongs to the live epoch; a list from elsewhere keeps its token and is copied on write. */
    private Object adopt(Object value) {
        if (value instanceof ListValue l && l.owner == null) l.owner = epoch;
        return value;
    }

    public boolean remove(Key key) {
        if (data.remove(key) == null) return false;
        if (!expires.isEmpty()) expires.remove(key);
        return true;
    }

    public int size() {
        return data.size();
    }

    public int expiresSize() {
        return expires.size();
    }

    /** Absolute expiry in unix ms, or -1 when the key has none. */
    public long expireAt(Key key) {
        if (expires.isEmpty()) return -1;
        Long at = expires.get(key);
        return at == null ? -1 : at;
    }

    public void setExpire(Key key, long unixMs) {
        expires.put(key, unixMs);
    }

    public boolean persist(Key key) {
        return expires.remove(key) != null;
    }

    public void clear() {
        data = new HashTrie<>();
        expires = new HashTrie<>();
    }

    public long scan(long cursor, int count, BiConsumer<Key, Object> visitor) {
        return data.scan(cursor, count, visitor);
    }

    public void forEach(BiConsumer<Key, Object> visitor) {
        data.forEach(visitor);
    }

    public Key randomKey(RandomGenerator rnd) {
        return data.randomKey(rnd);
    }

    public Key randomExpiringKey(RandomGenerator rnd) {
        return expires.randomKey(rnd);
    }

    /**
     * A point-in-time copy of both maps and every value, taken in O(1): the tries share their
     * nodes until either writes, and lists are copied on their next write (a new epoch starts
     * here). Safe to read from another thread once handed over by a safe publication; the
     * snapshot itself must not be written.
     */
    public Database snapshot() {
        Database d = new Database(id);
        d.data = data.snapshot();
        d.expires = expires.snapshot();
        epoch = new Object();
        return d;
    }
}
