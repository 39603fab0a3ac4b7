package lossmeter.server.command;

import static lossmeter.server.command.CommandSpec.Flag.FAST;
import static lossmeter.server.command.CommandSpec.Flag.READONLY;
import static lossmeter.server.command.CommandSpec.Flag.WRITE;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import lossmeter.server.config.Glob;
import lossmeter.server.keyspace.Database;
import lossmeter.server.keyspace.Key;

/**
 * DEL UNLINK EXISTS TYPE KEYS SCAN RANDOMKEY RENAME RENAMENX, following Redis 7.0's db.c; the
 * expiry commands (EXPIRE … PERSIST, TTL …) live in {@link ExpireCommands} and are registered here.
 */
final class KeyCommands {
    private KeyCommands() {
    }

    static void register(CommandTable t) {
        t.add("del", -2, 1, -1, 1, KeyCommands::del, WRITE);
        t.add("unlink", -2, 1, -1, 1, KeyCommands::del, WRITE, FAST);
        t.add("exists", -2, 1, -1, 1, KeyCommands::exists, READONLY, FAST);
        t.add("type", 2, 1, 1, 1, KeyCommands::type, READONLY, FAST);
        t.add("keys", 2, 0, 0, 0, KeyCommands::keys, READONLY);
        t.add("scan", -2, 0, 0, 0, KeyCommands::scan, READONLY);
        t.add("randomkey", 1, 0, 0, 0, KeyCommands::randomkey, READONLY);
        t.add("rename", 3, 1, 2, 1, KeyCommands::rename, WRITE);
        t.add("renamenx", 3, 1, 2, 1, KeyCommands::renamenx, WRITE, FAST);
        ExpireCommands.register(t);
    }

    /** The name TYPE replies and SCAN … TYPE matches; "none" for a missing key. */
    static String typeName(Object v) {
        if (v == null) return "none";
        return v instanceof byte[] ? "string" : "list";
    }

    /** DEL and UNLINK (which frees in the background in Redis; here the two are the same). */
    private static void del(Call c) {
        Database db = c.db();
        long n = 0;
        for (int i = 1; i < c.argc(); i++) {
            Key k = c.key(i);
            if (c.write(k) != null && db.remove(k)) {
                c.touched(k);
                c.dirty(1);
                n++;
            }
        }
        c.reply().integer(n);
    }

    /** Counts a key as often as it is named. */
    private static void exists(Call c) {
        long n = 0;
        for (int i = 1; i < c.argc(); i++) if (c.read(c.key(i)) != null) n++;
        c.reply().integer(n);
    }

    private static void type(Call c) {
        c.reply().simple(typeName(c.read(c.key(1))));
    }

    /** Expired keys are left out but not deleted, as Redis's keysCommand does. */
    private static void keys(Call c) {
        byte[] pattern = c.arg(1);
        boolean all = pattern.length == 1 && pattern[0] == '*';
        Database db = c.db();
        long now = c.engine.now();
        boolean loading = c.engine.loading;
        List<byte[]> out = new ArrayList<>();
        db.forEach((k, v) -> {
            if (!all && !Glob.matches(pattern, k.bytes())) return;
            long at = db.expireAt(k);
            if (at >= 0 && !loading && at <= now) return;
            out.add(k.bytes());
        });
        c.reply().array(out.size());
        for (byte[] k : out) c.reply().bulk(k);
    }

    /**
     * SCAN cursor [MATCH pattern] [COUNT n] [TYPE type]. The cursor is a position in the keyspace's
     * 32-bit hash order; a larger cursor (accepted by Redis's strtoul) is past the end.
     */
    private static void scan(Call c) {
        long cursor = parseCursor(c.arg(1));
        long count = 10;
        byte[] pattern = null;
        String type = null;
        int i = 2;
        while (i < c.argc()) {
            int left = c.argc() - i;
            if (c.is(i, "COUNT") && left >= 2) {
                count = c.longArg(i + 1);
                if (count < 1) throw new CommandError(CommandError.SYNTAX);
                i += 2;
            } else if (c.is(i, "MATCH") && left >= 2) {
                pattern = c.arg(i + 1);
                if (pattern.length == 1 && pattern[0] == '*') pattern = null;
                i += 2;
            } else if (c.is(i, "TYPE") && left >= 2) {
                type = c.str(i + 1);
                i += 2;
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        Database db = c.db();
        List<Key> seen = new ArrayList<>();
        long next = 0;
        if (cursor >= 0 && cursor < 1L << 32) {
            next = db.scan(cursor, (int) Math.min(count, Integer.MAX_VALUE), (k, v) -> seen.add(k));
        }
        // Filter after the walk: the visitor must not change the trie, and expiry deletes keys.
        List<byte[]> out = new ArrayList<>(seen.size());
        for (Key k : seen) {
            if (pattern != null && !Glob.matches(pattern, k.bytes())) continue;
            if (type != null && !type.equalsIgnoreCase(typeName(c.read(k)))) continue;
            if (c.engine.expireIfNeeded(db, k)) continue;
            out.add(k.bytes());
        }
        c.reply().array(2);
        c.reply().bulk(Long.toUnsignedString(next));
        c.reply().array(out.size());
        for (byte[] k : out) c.reply().bulk(k);
    }

    /**
     * Redis's parseScanCursorOrReply: strtoul(s, 10) with no leading space and nothing after the
     * digits. A sign is allowed ("-1" wraps to 2^64-1) and the empty string is 0. Returns the
     * unsigned 64-bit value in a long.
     */
    static long parseCursor(byte[] b) {
        if (b.length == 0) return 0;
        int i = 0;
        boolean neg = false;
        if (b[0] == '+' || b[0] == '-') {
            neg = b[0] == '-';
            i = 1;
        }
        if (i == b.length) throw new CommandError("invalid cursor");
        long v = 0;
        for (; i < b.length; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) throw new CommandError("invalid cursor");
            if (Long.compareUnsigned(v, 0x1999_9999_9999_9999L) > 0) throw new CommandError("invalid cursor");
            long t = v * 10 + d;
            if (Long.compareUnsigned(t, v * 10) < 0) throw new CommandError("invalid cursor");
            v = t;
        }
        return neg ? -v : v;
    }

    /** A random key that has not expired (expired ones met on the way are deleted), or nil. */
    private static void randomkey(Call c) {
        Database db = c.db();
        while (true) {
            Key k = db.randomKey(ThreadLocalRandom.current());
            if (k == null) {
                c.reply().nullBulk();
                return;
            }
            if (!c.engine.expireIfNeeded(db, k)) {
                c.reply().bulk(k.bytes());
                return;
            }
        }
    }

    private static void rename(Call c) {
        renameGeneric(c, false);
    }

    private static void renamenx(Call c) {
        renameGeneric(c, true);
    }

    /** The value moves with its TTL; an existing destination is replaced (RENAME) or kept (RENAMENX: 0). */
    private static void renameGeneric(Call c, boolean nx) {
        Key src = c.key(1);
        Key dst = c.key(2);
        Object v = c.write(src);
        if (v == null) throw new CommandError("no such key");
        if (Arrays.equals(src.bytes(), dst.bytes())) {
            if (nx) c.reply().integer(0);
            else c.reply().simple("OK");
            return;
        }
        Database db = c.db();
        long expire = db.expireAt(src);
        if (c.write(dst) != null) {
            if (nx) {
                c.reply().integer(0);
                return;
            }
            db.remove(dst);
        }
        db.put(dst, v);
        if (expire != -1) db.setExpire(dst, expire);
        db.remove(src);
        c.touched(src);
        c.touched(dst);
        c.dirty(1);
        if (nx) c.reply().integer(1);
        else c.reply().simple("OK");
    }
}
