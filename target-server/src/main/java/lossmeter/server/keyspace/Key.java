package lossmeter.server.keyspace;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A key of the keyspace: binary-safe bytes with a well-mixed 32-bit hash computed once.
 * The hash also orders the keyspace for SCAN, so it must be stable for the life of a process.
 */
public final class Key implements Comparable<Key> {
    private final byte[] bytes;
    private final int hash;

    private Key(byte[] bytes) {
        this.bytes = bytes;
        this.hash = mix(bytes);
    }

    /** Wraps the array without copying; the caller must never change it afterwards. */
    public static Key of(byte[] bytes) {
        return new Key(bytes);
    }

    public static Key of(String s) {
        return new Key(s.getBytes(StandardCharsets.UTF_8));
    }

    public byte[] bytes() {
        return bytes;
    }

    /** The 32-bit hash; SCAN visits keys in increasing unsigned order of it. */
    public int hash() {
        return hash;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    /** Unsigned hash first, then bytes: the order SCAN follows. */
    @Override
    public int compareTo(Key o) {
        int c = Integer.compareUnsigned(hash, o.hash);
        return c != 0 ? c : Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    // FNV-1a over the bytes, then a murmur3 finalizer so that every bit of the result
    // depends on every input byte (the trie consumes the hash from its top bits).
    private static int mix(byte[] b) {
        int h = 0x811c9dc5;
        for (byte x : b) {
            h ^= x & 0xff;
            h *= 0x01000193;
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
