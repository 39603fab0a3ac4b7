package lossmeter.server.keyspace;

import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;

/**
 * A map from {@link Key} to non-null values, iterated in increasing unsigned hash order, updated in place and
 * snapshotted in O(1).
 *
 * <p>A hash array mapped trie that takes the hash from its most significant bits down, 5 bits per level, so an
 * in-order walk is a walk in hash order; that order is what makes {@link #scan} cursors survive changes.
 *
 * <p>Not thread-safe: one thread owns a trie. {@link #snapshot()} returns a second trie that shares every node
 * with this one; from then on neither trie writes a node they share (each copies a node before its first write),
 * so the snapshot may be read by another thread while the owner keeps writing, provided it is handed over by a
 * safe publication (starting the thread, an executor submit, a volatile write or a lock) after {@code snapshot()}
 * returned. Values are shared by reference: a value that is mutated in place is seen changed by both tries.
 */
public final class HashTrie<V> {
    // Never written: no trie ever holds a null edit token, so every trie copies it before its first write.
    private static final TrieNode.Bitmap EMPTY = new TrieNode.Bitmap(null, 0, 0, new Object[0]);

    private TrieNode.Bitmap root;
    private int size;
    /** Nodes carrying this token belong to this trie alone and are written in place; other nodes are copied. */
    Object edit = new Object();
    /** Out-parameter of the node operations, so that put and remove return a value without allocating. */
    Object old;

    public HashTrie() {
        this(EMPTY, 0);
    }

    private HashTrie(TrieNode.Bitmap root, int size) {
        this.root = root;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    public V get(Key key) {
        int h = key.hash();
        TrieNode n = root;
        int shift = TrieNode.TOP_SHIFT;
        while (n instanceof TrieNode.Bitmap b) {
            int bit = TrieNode.bit(h, shift);
            int dm = b.dataMap;
            if ((dm & bit) != 0) {
                int i = 2 * Integer.bitCount(dm & (bit - 1));
                Object k = b.content[i];
                return k == key || key.equals(k) ? (V) b.content[i + 1] : null;
            }
            if ((b.nodeMap & bit) == 0) {
                return null;
            }
            n = (TrieNode) b.content[2 * Integer.bitCount(dm) + Integer.bitCount(b.nodeMap & (bit - 1))];
            shift -= 5;
        }
        TrieNode.Collision c = (TrieNode.Collision) n;
        return c.hash == h ? (V) c.find(key) : null;
    }

    @SuppressWarnings("unchecked")
    public V put(Key key, V value) {
        Objects.requireNonNull(value, "value");
        root = root.put(this, key, value, key.hash(), TrieNode.TOP_SHIFT);
        Object prev = old;
        if (prev == null) {
            size++;
        } else {
            old = null;
        }
        return (V) prev;
    }

    @SuppressWarnings("unchecked")
    public V remove(Key key) {
        root = root.remove(this, key, key.hash(), TrieNode.TOP_SHIFT);
        Object prev = old;
        if (prev != null) {
            old = null;
            size--;
        }
        return (V) prev;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public void clear() {
        root = EMPTY;
        size = 0;
    }

    /**
     * Returns a trie with this one's current content, in O(1); later writes to either are invisible to the other.
     * Both tries get fresh edit tokens, so the nodes they share carry a token neither holds and are never written
     * again; see the class comment for handing the snapshot to another thread.
     */
    public HashTrie<V> snapshot() {
        HashTrie<V> copy = new HashTrie<>(root, size);
        edit = new Object();
        return copy;
    }

    /**
     * Visits, in hash order, the entries whose unsigned hash is at least {@code cursor}, stopping once it has
     * visited {@code count} entries and the next entry has a different hash (so keys sharing a hash are never
     * split between calls), and returns that next entry's hash, or 0 when no entry is left.
     *
     * <p>Because the cursor is a position in hash space rather than in the structure, a key present for a whole
     * iteration (cursor 0 until 0 comes back) is visited exactly once whatever else is added or removed between
     * calls, and no key is visited twice unless it was removed and added again. The visitor must not write this
     * trie.
     *
     * @throws IllegalArgumentException if cursor is not in [0, 2^32) or count is below 1
     */
    public long scan(long cursor, int count, BiConsumer<Key, V> visitor) {
        if (cursor < 0 || cursor >= 1L << 32) {
            throw new IllegalArgumentException("cursor out of range: " + cursor);
        }
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1: " + count);
        }
        Scan<V> s = new Scan<>((int) cursor, count, Objects.requireNonNull(visitor, "visitor"));
        return scan(root, TrieNode.TOP_SHIFT, true, s) ? s.next : 0;
    }

    // bounded: the path to this node is the start's own prefix, so slots before the start's slot are skipped
    // whole and the entries in the start's slot are compared with it; every later slot is visited in full.
    private static <V> boolean scan(TrieNode node, int shift, boolean bounded, Scan<V> s) {
        if (node instanceof TrieNode.Collision c) {
            if (bounded && Integer.compareUnsigned(c.hash, s.start) < 0) {
                return false;
            }
            Object[] kv = c.kv;
            for (int i = 0; i < kv.length; i += 2) {
                if (s.visit((Key) kv[i], kv[i + 1])) {
                    return true;
                }
            }
            return false;
        }
        TrieNode.Bitmap b = (TrieNode.Bitmap) node;
        int dm = b.dataMap;
        int nm = b.nodeMap;
        Object[] a = b.content;
        int first = bounded ? TrieNode.bit(s.start, shift) : 1;
        int todo = (dm | nm) & -first;
        int di = 2 * Integer.bitCount(dm & (first - 1));
        int ni = 2 * Integer.bitCount(dm) + Integer.bitCount(nm & (first - 1));
        while (todo != 0) {
            int bit = todo & -todo;
            todo ^= bit;
            boolean exact = bounded && bit == first;
            if ((dm & bit) != 0) {
                Key k = (Key) a[di];
                boolean before = exact && Integer.compareUnsigned(k.hash(), s.start) < 0;
                if (!before && s.visit(k, a[di + 1])) {
                    return true;
                }
                di += 2;
            } else if (scan((TrieNode) a[ni++], shift - 5, exact, s)) {
                return true;
            }
        }
        return false;
    }

    private static final class Scan<V> {
        final int start;
        final int count;
        final BiConsumer<Key, V> visitor;
        int visited;
        int last;
        long next;

        Scan(int start, int count, BiConsumer<Key, V> visitor) {
            this.start = start;
            this.count = count;
            this.visitor = visitor;
        }

        /** Returns true to stop, leaving the hash to resume at in {@link #next}. */
        @SuppressWarnings("unchecked")
        boolean visit(Key k, Object v) {
            int h = k.hash();
            if (visited >= count && h != last) {
                next = h & 0xFFFF_FFFFL;
                return true;
            }
            visitor.accept(k, (V) v);
            visited++;
            last = h;
            return false;
        }
    }

    /** Visits every entry in increasing unsigned hash order (keys sharing a hash by bytes); must not write this trie. */
    public void forEach(BiConsumer<Key, V> visitor) {
        Objects.requireNonNull(visitor, "visitor");
        forEach(root, visitor);
    }

    @SuppressWarnings("unchecked")
    private static <V> void forEach(TrieNode node, BiConsumer<Key, V> visitor) {
        if (node instanceof TrieNode.Bitmap b) {
            int dm = b.dataMap;
            int todo = dm | b.nodeMap;
            Object[] a = b.content;
            int di = 0;
            int ni = 2 * Integer.bitCount(dm);
            while (todo != 0) {
                int bit = todo & -todo;
                todo ^= bit;
                if ((dm & bit) != 0) {
                    visitor.accept((Key) a[di], (V) a[di + 1]);
                    di += 2;
                } else {
                    forEach((TrieNode) a[ni++], visitor);
                }
            }
        } else {
            Object[] kv = ((TrieNode.Collision) node).kv;
            for (int i = 0; i < kv.length; i += 2) {
                visitor.accept((Key) kv[i], (V) kv[i + 1]);
            }
        }
    }

    /**
     * Returns a random key in O(depth), or null when empty: the first key at or after a uniformly random hash,
     * wrapping around. Bias: a key is drawn with probability (distance from the previous key's hash) / 2^32, so
     * with well-mixed hashes each key's chance is 1/n times an exponentially distributed factor of mean 1 (a key
     * after a wide gap is drawn a few times more often than average); keys sharing a hash split its chance evenly.
     */
    public Key randomKey(RandomGenerator rnd) {
        if (size == 0) {
            return null;
        }
        Key k = ceiling(root, TrieNode.TOP_SHIFT, rnd.nextInt(), rnd);
        return k != null ? k : first(root, rnd);
    }

    // Same seek as scan: at most one descent can come back empty-handed, so this stays O(depth).
    private static Key ceiling(TrieNode node, int shift, int start, RandomGenerator rnd) {
        if (node instanceof TrieNode.Collision c) {
            return Integer.compareUnsigned(c.hash, start) >= 0 ? c.randomKey(rnd) : null;
        }
        TrieNode.Bitmap b = (TrieNode.Bitmap) node;
        int dm = b.dataMap;
        int nm = b.nodeMap;
        int first = TrieNode.bit(start, shift);
        int todo = (dm | nm) & -first;
        while (todo != 0) {
            int bit = todo & -todo;
            todo ^= bit;
            if ((dm & bit) != 0) {
                Key k = (Key) b.content[2 * Integer.bitCount(dm & (bit - 1))];
                if (bit != first || Integer.compareUnsigned(k.hash(), start) >= 0) {
                    return k;
                }
            } else {
                TrieNode child = (TrieNode) b.content[2 * Integer.bitCount(dm) + Integer.bitCount(nm & (bit - 1))];
                Key k = bit == first ? ceiling(child, shift - 5, start, rnd) : first(child, rnd);
                if (k != null) {
                    return k;
                }
            }
        }
        return null;
    }

    private static Key first(TrieNode node, RandomGenerator rnd) {
        while (node instanceof TrieNode.Bitmap b) {
            int all = b.dataMap | b.nodeMap;
            if ((b.dataMap & all & -all) != 0) {
                return (Key) b.content[0];
            }
            node = (TrieNode) b.content[2 * Integer.bitCount(b.dataMap)];
        }
        return ((TrieNode.Collision) node).randomKey(rnd);
    }

    TrieNode.Bitmap root() {
        return root;
    }
}
