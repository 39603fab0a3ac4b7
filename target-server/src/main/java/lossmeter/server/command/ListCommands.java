package lossmeter.server.command;

import static lossmeter.server.command.CommandSpec.Flag.DENYOOM;
import static lossmeter.server.command.CommandSpec.Flag.FAST;
import static lossmeter.server.command.CommandSpec.Flag.READONLY;
import static lossmeter.server.command.CommandSpec.Flag.WRITE;

import java.util.Arrays;

import lossmeter.server.keyspace.Key;
import lossmeter.server.keyspace.ListValue;

/**
 * LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LRANGE LLEN LINDEX LSET LTRIM LREM LINSERT LPOS, following
 * Redis 7.0's t_list.c: arguments are checked in the same order, and a list that becomes empty
 * is deleted.
 *
 * <p>Pushes, pops and LTRIM change the stored {@link ListValue} in place; LSET, LREM and LINSERT
 * build a new one and store it (keeping the key's TTL).
 */
final class ListCommands {
    private ListCommands() {
    }

    static void register(CommandTable t) {
        t.add("lpush", -3, 1, 1, 1, ListCommands::lpush, WRITE, DENYOOM, FAST);
        t.add("rpush", -3, 1, 1, 1, ListCommands::rpush, WRITE, DENYOOM, FAST);
        t.add("lpushx", -3, 1, 1, 1, ListCommands::lpushx, WRITE, DENYOOM, FAST);
        t.add("rpushx", -3, 1, 1, 1, ListCommands::rpushx, WRITE, DENYOOM, FAST);
        t.add("lpop", -2, 1, 1, 1, ListCommands::lpop, WRITE, FAST);
        t.add("rpop", -2, 1, 1, 1, ListCommands::rpop, WRITE, FAST);
        t.add("lrange", 4, 1, 1, 1, ListCommands::lrange, READONLY);
        t.add("llen", 2, 1, 1, 1, ListCommands::llen, READONLY, FAST);
        t.add("lindex", 3, 1, 1, 1, ListCommands::lindex, READONLY);
        t.add("lset", 4, 1, 1, 1, ListCommands::lset, WRITE, DENYOOM);
        t.add("ltrim", 4, 1, 1, 1, ListCommands::ltrim, WRITE);
        t.add("lrem", 4, 1, 1, 1, ListCommands::lrem, WRITE);
        t.add("linsert", 5, 1, 1, 1, ListCommands::linsert, WRITE, DENYOOM);
        t.add("lpos", -3, 1, 1, 1, ListCommands::lpos, READONLY);
    }

    // ---- push / pop ----------------------------------------------------------------------------

    private static void lpush(Call c) {
        push(c, true, false);
    }

    private static void rpush(Call c) {
        push(c, false, false);
    }

    private static void lpushx(Call c) {
        push(c, true, true);
    }

    private static void rpushx(Call c) {
        push(c, false, true);
    }

    /** Replies the new length; LPUSH k a b c leaves c b a. The X forms do nothing on a missing key. */
    private static void push(Call c, boolean head, boolean onlyIfExists) {
        Key key = c.key(1);
        ListValue l = c.writeList(key);
        if (l == null) {
            if (onlyIfExists) {
                c.reply().integer(0);
                return;
            }
            l = new ListValue();
            c.db().put(key, l);
        }
        for (int j = 2; j < c.argc(); j++) {
            if (head) l.addFirst(c.arg(j));
            else l.addLast(c.arg(j));
        }
        c.dirty(c.argc() - 2);
        c.touched(key);
        c.reply().integer(l.size());
    }

    private static void lpop(Call c) {
        pop(c, true);
    }

    private static void rpop(Call c) {
        pop(c, false);
    }

    /**
     * One element as a bulk (nil on a missing key), or with a count an array (nil array on a
     * missing key, empty for count 0) in popping order.
     */
    private static void pop(Call c, boolean head) {
        if (c.argc() > 3) throw new CommandError("wrong number of arguments for '" + c.spec.name() + "' command");
        boolean hasCount = c.argc() == 3;
        long count = hasCount ? nonNegative(c, 2, "value is out of range, must be positive") : 0;
        Key key = c.key(1);
        ListValue l = c.writeList(key);
        if (l == null) {
            if (hasCount) c.reply().nullArray();
            else c.reply().nullBulk();
            return;
        }
        if (hasCount && count == 0) {
            c.reply().array(0);
            return;
        }
        if (!hasCount) {
            c.reply().bulk(head ? l.removeFirst() : l.removeLast());
            removed(c, key, l, 1);
            return;
        }
        int n = (int) Math.min(count, l.size());
        c.reply().array(n);
        for (int i = 0; i < n; i++) c.reply().bulk(head ? l.removeFirst() : l.removeLast());
        removed(c, key, l, n);
    }

    /** After elements were removed: deletes an emptied list, signals WATCH and counts the change. */
    private static void removed(Call c, Key key, ListValue l, long n) {
        if (l.size() == 0) c.db().remove(key);
        c.touched(key);
        c.dirty(n);
    }

    /** getPositiveLongFromObjectOrReply: a non-integer and a negative number give the same message. */
    private static long nonNegative(Call c, int i, String message) {
        byte[] a = c.arg(i);
        long v = Numbers.parseLong(a);
        if ((v == Numbers.INVALID && !Numbers.isMinValue(a)) || v < 0) throw new CommandError(message);
        return v;
    }

    // ---- reads ---------------------------------------------------------------------------------

    /** Indices are parsed before the key is looked up; out-of-range ends are clamped. */
    private static void lrange(Call c) {
        long start = c.longArg(2);
        long end = c.longArg(3);
        ListValue l = c.readList(c.key(1));
        if (l == null) {
            c.reply().array(0);
            return;
        }
        long len = l.size();
        if (start < 0) start = len + start;
        if (end < 0) end = len + end;
        if (start < 0) start = 0;
        if (start > end || start >= len) {
            c.reply().array(0);
            return;
        }
        if (end >= len) end = len - 1;
        c.reply().array(end - start + 1);
        for (long i = start; i <= end; i++) c.reply().bulk(l.get((int) i));
    }

    private static void llen(Call c) {
        ListValue l = c.readList(c.key(1));
        c.reply().integer(l == null ? 0 : l.size());
    }

    /** The key is looked up before the index is parsed: a missing key is nil whatever the index. */
    private static void lindex(Call c) {
        ListValue l = c.readList(c.key(1));
        if (l == null) {
            c.reply().nullBulk();
            return;
        }
        long index = c.longArg(2);
        if (index < 0) index += l.size();
        if (index < 0 || index >= l.size()) c.reply().nullBulk();
        else c.reply().bulk(l.get((int) index));
    }

    // ---- in-place edits ------------------------------------------------------------------------

    private static void lset(Call c) {
        Key key = c.key(1);
        ListValue l = c.writeList(key);
        if (l == null) throw new CommandError("no such key");
        long index = c.longArg(2);
        if (index < 0) index += l.size();
        if (index < 0 || index >= l.size()) throw new CommandError("index out of range");
        ListValue n = new ListValue();
        for (int i = 0; i < l.size(); i++) n.addLast(i == index ? c.arg(3) : l.get(i));
        c.db().put(key, n);
        c.touched(key);
        c.dirty(1);
        c.reply().simple("OK");
    }

    /** Keeps [start, end]; an empty range deletes the key. WATCH is signalled even if nothing was removed, as Redis does. */
    private static void ltrim(Call c) {
        long start = c.longArg(2);
        long end = c.longArg(3);
        Key key = c.key(1);
        ListValue l = c.writeList(key);
        if (l == null) {
            c.reply().simple("OK");
            return;
        }
        long len = l.size();
        if (start < 0) start = len + start;
        if (end < 0) end = len + end;
        if (start < 0) start = 0;
        long ltrim;
        long rtrim;
        if (start > end || start >= len) {
            ltrim = len;
            rtrim = 0;
        } else {
            if (end >= len) end = len - 1;
            ltrim = start;
            rtrim = len - end - 1;
        }
        for (long i = 0; i < ltrim; i++) l.removeFirst();
        for (long i = 0; i < rtrim; i++) l.removeLast();
        removed(c, key, l, ltrim + rtrim);
        c.reply().simple("OK");
    }

    /** count > 0: the first count from the head; count < 0: from the tail; 0: all. */
    private static void lrem(Call c) {
        long toRemove = c.longArg(2);
        byte[] element = c.arg(3);
        Key key = c.key(1);
        ListValue l = c.writeList(key);
        if (l == null) {
            c.reply().integer(0);
            return;
        }
        int len = l.size();
        boolean fromTail = toRemove < 0;
        long limit = fromTail ? -toRemove : toRemove; // Long.MIN_VALUE stays negative: never reached, removes all
        boolean[] drop = new boolean[len];
        long removed = 0;
        for (int k = 0; k < len; k++) {
            int i = fromTail ? len - 1 - k : k;
            if (Arrays.equals(l.get(i), element)) {
                drop[i] = true;
                removed++;
                if (limit != 0 && removed == limit) break;
            }
        }
        if (removed > 0) {
            ListValue n = new ListValue();
            for (int i = 0; i < len; i++) if (!drop[i]) n.addLast(l.get(i));
            if (n.size() == 0) c.db().remove(key);
            else c.db().put(key, n);
            c.touched(key);
            c.dirty(removed);
        }
        c.reply().integer(removed);
    }

    /** LINSERT key BEFORE|AFTER pivot element: the new length, -1 without the pivot, 0 without the key. */
    private static void linsert(Call c) {
        boolean after;
        if (c.is(2, "AFTER")) after = true;
        else if (c.is(2, "BEFORE")) after = false;
        else throw new CommandError(CommandError.SYNTAX);
        Key key = c.key(1);
        ListValue l = c.writeList(key);
        if (l == null) {
            c.reply().integer(0);
            return;
        }
        int pivot = -1;
        for (int i = 0; i < l.size(); i++) {
            if (Arrays.equals(l.get(i), c.arg(3))) {
                pivot = i;
                break;
            }
        }
        if (pivot < 0) {
            c.reply().integer(-1);
            return;
        }
        ListValue n = new ListValue();
        for (int i = 0; i < l.size(); i++) {
            if (i == pivot && !after) n.addLast(c.arg(4));
            n.addLast(l.get(i));
            if (i == pivot && after) n.addLast(c.arg(4));
        }
        c.db().put(key, n);
        c.touched(key);
        c.dirty(1);
        c.reply().integer(n.size());
    }

    // ---- LPOS ----------------------------------------------------------------------------------

    /** LPOS key element [RANK r] [COUNT n] [MAXLEN m], as Redis's lposCommand. */
    private static void lpos(Call c) {
        long rank = 1;
        long count = -1; // -1: no COUNT option
        long maxlen = 0;
        for (int j = 3; j < c.argc(); j++) {
            boolean more = j < c.argc() - 1;
            if (c.is(j, "RANK") && more) {
                rank = c.longArg(++j);
                if (rank == 0) {
                    throw new CommandError("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
                            + "or use negative to start from the end of the list");
                }
            } else if (c.is(j, "COUNT") && more) {
                count = nonNegative(c, ++j, "ERR COUNT can't be negative");
            } else if (c.is(j, "MAXLEN") && more) {
                maxlen = nonNegative(c, ++j, "ERR MAXLEN can't be negative");
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        boolean forward = true;
        if (rank < 0) {
            rank = -rank; // Long.MIN_VALUE stays negative, as in C: every match then counts
            forward = false;
        }
        ListValue l = c.readList(c.key(1));
        if (l == null) {
            if (count != -1) c.reply().array(0);
            else c.reply().nullBulk();
            return;
        }
        byte[] element = c.arg(2);
        int len = l.size();
        long[] found = new long[len];
        int nfound = 0;
        long matches = 0;
        long matchIndex = -1;
        for (long index = 0; index < len && (maxlen == 0 || index < maxlen); index++) {
            long at = forward ? index : len - index - 1;
            if (Arrays.equals(l.get((int) at), element)) {
                matches++;
                if (matches >= rank) {
                    if (count == -1) {
                        matchIndex = at;
                        break;
                    }
                    found[nfound++] = at;
                    if (count != 0 && matches - rank + 1 >= count) break;
                }
            }
        }
        if (count == -1) {
            if (matchIndex != -1) c.reply().integer(matchIndex);
            else c.reply().nullBulk();
            return;
        }
        c.reply().array(nfound);
        for (int i = 0; i < nfound; i++) c.reply().integer(found[i]);
    }
}
