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
        data.put(key, value);
    }

    /** Replaces the value and clears any expiry (SET's semantics). */
    public void overwrite(Key key, Object value) {
        data.put(key, value);
        if (!expires.isEmpty()) expires.remove(key);
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

    /** A point-in-time copy of both maps, cheap to take, safe to read from another thread. */
    public Database snapshot() {
        Database d = new Database(id);
        d.data = data.snapshot();
        d.expires = expires.snapshot();
        return d;
    }
}
