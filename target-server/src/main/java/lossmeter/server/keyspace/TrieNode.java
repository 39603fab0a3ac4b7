package lossmeter.server.keyspace;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A node of a {@link HashTrie}: written in place only by the trie whose edit token it carries, copied by any other.
 *
 * <p>Invariant the in-place writes rely on: a node carrying a trie's current token is reachable only through
 * parents carrying the same token, because such nodes are created only while that token is current and are
 * linked only into parents that were made editable first. So changing an owned node never changes what another
 * trie (a snapshot) sees.
 */
abstract sealed class TrieNode permits TrieNode.Bitmap, TrieNode.Collision {
    /** Shift of the root level: it consumes hash bits 31..27, so that slot order is unsigned hash order. */
    static final int TOP_SHIFT = 27;

    final Object owner;

    TrieNode(Object owner) {
        this.owner = owner;
    }

    /** Returns the node that holds this position afterwards; stores the replaced value, if any, in {@code t.old}. */
    abstract TrieNode put(HashTrie<?> t, Key key, Object value, int hash, int shift);

    /** Returns the node that holds this position afterwards; stores the removed value, if any, in {@code t.old}. */
    abstract TrieNode remove(HashTrie<?> t, Key key, int hash, int shift);

    abstract boolean isSingleton();

    abstract Key firstKey();

    abstract Object firstValue();

    // Levels use shifts 27, 22, ..., 2, -3. Rotating instead of shifting makes the last level (shift -3) take
    // hash bits 1..0 as slot bits 4..3; its low slot bits come from bits 31..29, which are equal for every key
    // in a node that deep, so slot order still follows hash order, and no level needs a branch.
    static int frag(int hash, int shift) {
        return Integer.rotateRight(hash, shift) & 31;
    }

    static int bit(int hash, int shift) {
        return 1 << frag(hash, shift);
    }

    /** A node of two entries, or of one subtree holding both when their slots at this level agree. */
    static TrieNode merge(Object edit, Key k0, Object v0, Key k1, Object v1, int h1, int shift) {
        int h0 = k0.hash();
        if (h0 == h1) {
            return k0.compareTo(k1) < 0
                    ? new Collision(edit, h0, new Object[] {k0, v0, k1, v1})
                    : new Collision(edit, h0, new Object[] {k1, v1, k0, v0});
        }
        int b0 = bit(h0, shift);
        int b1 = bit(h1, shift);
        if (b0 == b1) {
            return new Bitmap(edit, 0, b0, new Object[] {merge(edit, k0, v0, k1, v1, h1, shift - 5)});
        }
        return Integer.compareUnsigned(b0, b1) < 0
                ? new Bitmap(edit, b0 | b1, 0, new Object[] {k0, v0, k1, v1})
                : new Bitmap(edit, b0 | b1, 0, new Object[] {k1, v1, k0, v0});
    }

    /** 32 slots; entries and subtrees in separate bitmaps (CHAMP), both kept in slot order in one array. */
    static final class Bitmap extends TrieNode {
        int dataMap;
        int nodeMap;
        // [k0, v0, ..., k(p-1), v(p-1), node0, ..., node(q-1)], then null slack so most inserts need no new array.
        Object[] content;

        Bitmap(Object owner, int dataMap, int nodeMap, Object[] content) {
            super(owner);
            this.dataMap = dataMap;
            this.nodeMap = nodeMap;
            this.content = content;
        }

        private Bitmap editable(Object edit) {
            return owner == edit ? this : new Bitmap(edit, dataMap, nodeMap, content.clone());
        }

        private int used() {
            return 2 * Integer.bitCount(dataMap) + Integer.bitCount(nodeMap);
        }

        @Override
        Bitmap put(HashTrie<?> t, Key key, Object value, int hash, int shift) {
            int bit = bit(hash, shift);
            if ((dataMap & bit) != 0) {
                int i = 2 * Integer.bitCount(dataMap & (bit - 1));
                Key k0 = (Key) content[i];
                if (k0 == key || k0.equals(key)) {
                    Object prev = content[i + 1];
                    t.old = prev;
                    if (prev == value) {
                        return this;
                    }
                    Bitmap e = editable(t.edit);
                    e.content[i + 1] = value;
                    return e;
                }
                TrieNode sub = merge(t.edit, k0, content[i + 1], key, value, hash, shift - 5);
                Bitmap e = editable(t.edit);
                e.dataToNode(bit, i, sub);
                return e;
            }
            if ((nodeMap & bit) != 0) {
                int j = 2 * Integer.bitCount(dataMap) + Integer.bitCount(nodeMap & (bit - 1));
                TrieNode child = (TrieNode) content[j];
                TrieNode updated = child.put(t, key, value, hash, shift - 5);
                if (updated == child) {
                    return this;
                }
                Bitmap e = editable(t.edit);
                e.content[j] = updated;
                return e;
            }
            Bitmap e = editable(t.edit);
            e.insertData(bit, key, value);
            return e;
        }

        @Override
        Bitmap remove(HashTrie<?> t, Key key, int hash, int shift) {
            int bit = bit(hash, shift);
            if ((dataMap & bit) != 0) {
                int i = 2 * Integer.bitCount(dataMap & (bit - 1));
                Key k0 = (Key) content[i];
                if (k0 != key && !k0.equals(key)) {
                    return this;
                }
                t.old = content[i + 1];
                Bitmap e = editable(t.edit);
                e.removeData(bit, i);
                return e;
            }
            if ((nodeMap & bit) != 0) {
                int j = 2 * Integer.bitCount(dataMap) + Integer.bitCount(nodeMap & (bit - 1));
                TrieNode child = (TrieNode) content[j];
                TrieNode updated = child.remove(t, key, hash, shift - 5);
                if (t.old == null) {
                    return this;
                }
                // A subtree left with one entry is inlined (CHAMP's canonical form): an emptied trie shrinks back.
                if (updated.isSingleton()) {
                    Bitmap e = editable(t.edit);
                    e.nodeToData(bit, updated.firstKey(), updated.firstValue());
                    return e;
                }
                if (updated == child) {
                    return this;
                }
                Bitmap e = editable(t.edit);
                e.content[j] = updated;
                return e;
            }
            return this;
        }

        @Override
        boolean isSingleton() {
            return nodeMap == 0 && Integer.bitCount(dataMap) == 1;
        }

        @Override
        Key firstKey() {
            return (Key) content[0];
        }

        @Override
        Object firstValue() {
            return content[1];
        }

        // Returns content itself when it has room (arraycopy then shifts in place), else a bigger array that
        // already holds [0, keep); callers copy from the old array in an order that is safe for both cases.
        private Object[] room(int need, int keep) {
            if (need <= content.length) {
                return content;
            }
            Object[] grown = new Object[Math.min(64, need + 2 + (need >> 2))];
            System.arraycopy(content, 0, grown, 0, keep);
            return grown;
        }

        private void insertData(int bit, Key key, Object value) {
            int i = 2 * Integer.bitCount(dataMap & (bit - 1));
            int used = used();
            Object[] a = content;
            Object[] d = room(used + 2, i);
            System.arraycopy(a, i, d, i + 2, used - i);
            d[i] = key;
            d[i + 1] = value;
            content = d;
            dataMap |= bit;
        }

        private void removeData(int bit, int i) {
            int used = used();
            Object[] a = content;
            System.arraycopy(a, i + 2, a, i, used - i - 2);
            a[used - 2] = null;
            a[used - 1] = null;
            dataMap ^= bit;
            if (a.length > 2 * (used - 2) + 4) {
                content = Arrays.copyOf(a, used);
            }
        }

        private void dataToNode(int bit, int i, TrieNode node) {
            int p2 = 2 * Integer.bitCount(dataMap);
            int j = Integer.bitCount(nodeMap & (bit - 1));
            int used = p2 + Integer.bitCount(nodeMap);
            Object[] a = content;
            System.arraycopy(a, i + 2, a, i, p2 + j - i - 2);
            a[p2 - 2 + j] = node;
            System.arraycopy(a, p2 + j, a, p2 - 1 + j, used - p2 - j);
            a[used - 1] = null;
            dataMap ^= bit;
            nodeMap |= bit;
        }

        private void nodeToData(int bit, Key key, Object value) {
            int i = 2 * Integer.bitCount(dataMap & (bit - 1));
            int p2 = 2 * Integer.bitCount(dataMap);
            int j = Integer.bitCount(nodeMap & (bit - 1));
            int used = p2 + Integer.bitCount(nodeMap);
            Object[] a = content;
            Object[] d = room(used + 1, i);
            System.arraycopy(a, p2 + j + 1, d, p2 + j + 2, used - p2 - j - 1);
            System.arraycopy(a, i, d, i + 2, p2 + j - i);
            d[i] = key;
            d[i + 1] = value;
            content = d;
            dataMap |= bit;
            nodeMap ^= bit;
        }
    }

    /** The keys of one full 32-bit hash, sorted by bytes so that iteration follows {@link Key#compareTo}. */
    static final class Collision extends TrieNode {
        final int hash;
        Object[] kv;

        Collision(Object owner, int hash, Object[] kv) {
            super(owner);
            this.hash = hash;
            this.kv = kv;
        }

        Object find(Key key) {
            Object[] a = kv;
            for (int i = 0; i < a.length; i += 2) {
                if (a[i] == key || a[i].equals(key)) {
                    return a[i + 1];
                }
            }
            return null;
        }

        Key randomKey(RandomGenerator rnd) {
            return (Key) kv[2 * rnd.nextInt(kv.length / 2)];
        }

        @Override
        TrieNode put(HashTrie<?> t, Key key, Object value, int hash, int shift) {
            if (hash != this.hash) {
                return split(t.edit, key, value, hash, shift);
            }
            Object[] a = kv;
            int i = 0;
            for (; i < a.length; i += 2) {
                int c = ((Key) a[i]).compareTo(key);
                if (c == 0) {
                    t.old = a[i + 1];
                    if (a[i + 1] == value) {
                        return this;
                    }
                    Collision e = owner == t.edit ? this : new Collision(t.edit, hash, a.clone());
                    e.kv[i + 1] = value;
                    return e;
                }
                if (c > 0) {
                    break;
                }
            }
            Object[] d = new Object[a.length + 2];
            System.arraycopy(a, 0, d, 0, i);
            System.arraycopy(a, i, d, i + 2, a.length - i);
            d[i] = key;
            d[i + 1] = value;
            return withKv(t.edit, d);
        }

        // This node sits at level `shift`, and so does the new key, whose hash agrees with it on all bits above.
        private Bitmap split(Object edit, Key key, Object value, int h, int shift) {
            int bn = bit(this.hash, shift);
            int bk = bit(h, shift);
            if (bn == bk) {
                return new Bitmap(edit, 0, bn, new Object[] {split(edit, key, value, h, shift - 5)});
            }
            return new Bitmap(edit, bk, bn, new Object[] {key, value, this});
        }

        @Override
        TrieNode remove(HashTrie<?> t, Key key, int hash, int shift) {
            if (hash != this.hash) {
                return this;
            }
            Object[] a = kv;
            for (int i = 0; i < a.length; i += 2) {
                if (a[i] == key || a[i].equals(key)) {
                    t.old = a[i + 1];
                    Object[] d = new Object[a.length - 2];
                    System.arraycopy(a, 0, d, 0, i);
                    System.arraycopy(a, i + 2, d, i, a.length - i - 2);
                    return withKv(t.edit, d);
                }
            }
            return this;
        }

        private Collision withKv(Object edit, Object[] d) {
            if (owner == edit) {
                kv = d;
                return this;
            }
            return new Collision(edit, hash, d);
        }

        @Override
        boolean isSingleton() {
            return kv.length == 2;
        }

        @Override
        Key firstKey() {
            return (Key) kv[0];
        }

        @Override
        Object firstValue() {
            return kv[1];
        }
    }
}
