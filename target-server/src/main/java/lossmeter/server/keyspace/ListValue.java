package lossmeter.server.keyspace;

import java.util.Arrays;

/**
 * A list value: a circular array of elements with O(1) push and pop at both ends and O(1)
 * access by index. Elements are never changed in place, only added and removed.
 *
 * <p>A list is mutated in place, so a {@link Database#snapshot() snapshot} would see the live
 * database's changes through a shared list. Each list therefore carries the epoch token of the
 * database that may change it; {@link Database#listForWrite} copies a list whose token is not
 * the live one, and every list write goes through it.
 */
public final class ListValue {
    private byte[][] items;
    private int head;
    private int size;
    /** The epoch of the database allowed to mutate this list in place (null: not stored yet). */
    Object owner;

    public ListValue() {
        items = new byte[8][];
    }

    public ListValue(ListValue other) {
        items = new byte[Math.max(8, Integer.highestOneBit(Math.max(1, other.size)) << 1)][];
        for (int i = 0; i < other.size; i++) items[i] = other.get(i);
        size = other.size;
    }

    public int size() {
        return size;
    }

    public byte[] get(int index) {
        return items[(head + index) & (items.length - 1)];
    }

    public void addLast(byte[] v) {
        grow();
        items[(head + size) & (items.length - 1)] = v;
        size++;
    }

    public void addFirst(byte[] v) {
        grow();
        head = (head - 1) & (items.length - 1);
        items[head] = v;
        size++;
    }

    public byte[] removeFirst() {
        byte[] v = items[head];
        items[head] = null;
        head = (head + 1) & (items.length - 1);
        size--;
        shrink();
        return v;
    }

    public byte[] removeLast() {
        int i = (head + size - 1) & (items.length - 1);
        byte[] v = items[i];
        items[i] = null;
        size--;
        shrink();
        return v;
    }

    private void grow() {
        if (size < items.length) return;
        resize(items.length * 2);
    }

    private void shrink() {
        if (items.length > 64 && size < items.length / 4) resize(items.length / 2);
    }

    private void resize(int cap) {
        byte[][] n = new byte[cap][];
        for (int i = 0; i < size; i++) n[i] = get(i);
        items = n;
        head = 0;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            if (i > 0) sb.append(", ");
            sb.append(new String(get(i), java.nio.charset.StandardCharsets.UTF_8));
        }
        return sb.append(']').toString();
    }

    /** Element-wise equality, for tests and digests. */
    public boolean sameElements(ListValue o) {
        if (o.size != size) return false;
        for (int i = 0; i < size; i++) if (!Arrays.equals(get(i), o.get(i))) return false;
        return true;
    }
}
