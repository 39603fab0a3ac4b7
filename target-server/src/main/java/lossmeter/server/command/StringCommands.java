package lossmeter.server.command;

import static lossmeter.server.command.CommandSpec.Flag.DENYOOM;
import static lossmeter.server.command.CommandSpec.Flag.FAST;
import static lossmeter.server.command.CommandSpec.Flag.READONLY;
import static lossmeter.server.command.CommandSpec.Flag.WRITE;

import java.util.Arrays;

import lossmeter.server.keyspace.Database;
import lossmeter.server.keyspace.Key;

/**
 * GET SET SETNX SETEX PSETEX GETSET GETDEL INCR INCRBY DECR DECRBY APPEND STRLEN MGET MSET MSETNX,
 * following Redis 7.0's t_string.c: the same argument checks in the same order, the same replies,
 * and the same AOF rewriting (a SET with any expiry is logged as {@code SET key value PXAT ms},
 * GETSET as SET, GETDEL as DEL).
 */
final class StringCommands {
    private StringCommands() {
    }

    private static final byte[] SET = Call.bytes("SET");
    private static final byte[] DEL = Call.bytes("DEL");
    private static final byte[] PXAT = Call.bytes("PXAT");

    // SET option bits, as Redis's OBJ_SET_* / OBJ_EX… flags.
    private static final int NX = 1;
    private static final int XX = 1 << 1;
    private static final int GET = 1 << 2;
    private static final int KEEPTTL = 1 << 3;
    private static final int EX = 1 << 4;
    private static final int PX = 1 << 5;
    private static final int EXAT = 1 << 6;
    private static final int PXAT_FLAG = 1 << 7;

    static void register(CommandTable t) {
        t.add("get", 2, 1, 1, 1, StringCommands::get, READONLY, FAST);
        t.add("set", -3, 1, 1, 1, StringCommands::set, WRITE, DENYOOM);
        t.add("setnx", 3, 1, 1, 1, StringCommands::setnx, WRITE, DENYOOM, FAST);
        t.add("setex", 4, 1, 1, 1, StringCommands::setex, WRITE, DENYOOM);
        t.add("psetex", 4, 1, 1, 1, StringCommands::psetex, WRITE, DENYOOM);
        t.add("getset", 3, 1, 1, 1, StringCommands::getset, WRITE, DENYOOM, FAST);
        t.add("getdel", 2, 1, 1, 1, StringCommands::getdel, WRITE, FAST);
        t.add("incr", 2, 1, 1, 1, StringCommands::incr, WRITE, DENYOOM, FAST);
        t.add("decr", 2, 1, 1, 1, StringCommands::decr, WRITE, DENYOOM, FAST);
        t.add("incrby", 3, 1, 1, 1, StringCommands::incrby, WRITE, DENYOOM, FAST);
        t.add("decrby", 3, 1, 1, 1, StringCommands::decrby, WRITE, DENYOOM, FAST);
        t.add("append", 3, 1, 1, 1, StringCommands::append, WRITE, DENYOOM, FAST);
        t.add("strlen", 2, 1, 1, 1, StringCommands::strlen, READONLY, FAST);
        t.add("mget", -2, 1, -1, 1, StringCommands::mget, READONLY, FAST);
        t.add("mset", -3, 1, -1, 2, StringCommands::mset, WRITE, DENYOOM);
        t.add("msetnx", -3, 1, -1, 2, StringCommands::msetnx, WRITE, DENYOOM);
    }

    // ---- GET / SET family ----------------------------------------------------------------------

    private static void get(Call c) {
        c.reply().bulk(c.readString(c.key(1)));
    }

    /** SET key value [NX|XX] [GET] [EX s|PX ms|EXAT s|PXAT ms|KEEPTTL], parsed as Redis 7.0 does. */
    private static void set(Call c) {
        int flags = 0;
        int expireArg = -1;
        for (int j = 3; j < c.argc(); j++) {
            boolean next = j + 1 < c.argc();
            if (c.is(j, "NX") && (flags & XX) == 0) {
                flags |= NX;
            } else if (c.is(j, "XX") && (flags & NX) == 0) {
                flags |= XX;
            } else if (c.is(j, "GET")) {
                flags |= GET;
            } else if (c.is(j, "KEEPTTL") && (flags & (EX | PX | EXAT | PXAT_FLAG)) == 0) {
                flags |= KEEPTTL;
            } else if (c.is(j, "EX") && (flags & (KEEPTTL | PX | EXAT | PXAT_FLAG)) == 0 && next) {
                flags |= EX;
                expireArg = ++j;
            } else if (c.is(j, "PX") && (flags & (KEEPTTL | EX | EXAT | PXAT_FLAG)) == 0 && next) {
                flags |= PX;
                expireArg = ++j;
            } else if (c.is(j, "EXAT") && (flags & (KEEPTTL | EX | PX | PXAT_FLAG)) == 0 && next) {
                flags |= EXAT;
                expireArg = ++j;
            } else if (c.is(j, "PXAT") && (flags & (KEEPTTL | EX | PX | EXAT)) == 0 && next) {
                flags |= PXAT_FLAG;
                expireArg = ++j;
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        setGeneric(c, flags, c.key(1), c.arg(2), expireArg, false);
    }

    private static void setnx(Call c) {
        setGeneric(c, NX, c.key(1), c.arg(2), -1, true);
    }

    private static void setex(Call c) {
        setGeneric(c, EX, c.key(1), c.arg(3), 2, false);
    }

    private static void psetex(Call c) {
        setGeneric(c, PX, c.key(1), c.arg(3), 2, false);
    }

    /** Redis's setGenericCommand; intReply: SETNX's :1/:0 instead of +OK/nil. */
    private static void setGeneric(Call c, int flags, Key key, byte[] value, int expireArg, boolean intReply) {
        long when = 0;
        if (expireArg >= 0) when = expireMillis(c, expireArg, flags);
        if ((flags & GET) != 0) c.reply().bulk(c.readString(key)); // WRONGTYPE before any change
        boolean found = c.write(key) != null;
        if (((flags & NX) != 0 && found) || ((flags & XX) != 0 && !found)) {
            if ((flags & GET) == 0) {
                if (intReply) c.reply().integer(0);
                else c.reply().nullBulk();
            }
            return;
        }
        Database db = c.db();
        if ((flags & KEEPTTL) != 0) db.put(key, value);
        else db.overwrite(key, value);
        c.touched(key);
        c.dirty(1);
        if (expireArg >= 0) {
            db.setExpire(key, when);
            c.propagateAs(SET, key.bytes(), value, PXAT, Call.bytes(when));
        } else if ((flags & GET) != 0) {
            c.propagateAs(withoutGet(c.argv));
        }
        if ((flags & GET) == 0) {
            if (intReply) c.reply().integer(1);
            else c.reply().simple("OK");
        }
    }

    /** The absolute expiry in ms from argument i (getExpireMillisecondsOrReply): EX/PX are relative to now. */
    private static long expireMillis(Call c, int i, int flags) {
        long v = c.longArg(i);
        boolean seconds = (flags & (EX | EXAT)) != 0;
        if (v <= 0 || (seconds && v > Long.MAX_VALUE / 1000)) throw invalidExpire(c);
        if (seconds) v *= 1000;
        if ((flags & (EX | PX)) != 0) v += c.engine.now(); // wraps on overflow, as in C; caught below
        if (v <= 0) throw invalidExpire(c);
        return v;
    }

    private static CommandError invalidExpire(Call c) {
        return new CommandError("invalid expire time in '" + c.spec.name() + "' command");
    }

    /** SET … GET is logged without its GET arguments (which may be repeated). */
    private static byte[][] withoutGet(byte[][] argv) {
        byte[][] out = new byte[argv.length][];
        int n = 0;
        for (int j = 0; j < argv.length; j++) {
            byte[] a = argv[j];
            if (j >= 3 && a.length == 3 && (a[0] | 32) == 'g' && (a[1] | 32) == 'e' && (a[2] | 32) == 't') continue;
            out[n++] = a;
        }
        return Arrays.copyOf(out, n);
    }

    private static void getset(Call c) {
        Key key = c.key(1);
        c.reply().bulk(c.readString(key));
        c.db().overwrite(key, c.arg(2));
        c.touched(key);
        c.dirty(1);
        c.propagateAs(SET, key.bytes(), c.arg(2));
    }

    private static void getdel(Call c) {
        Key key = c.key(1);
        byte[] old = c.readString(key);
        c.reply().bulk(old);
        if (old != null && c.db().remove(key)) {
            c.propagateAs(DEL, key.bytes());
            c.touched(key);
            c.dirty(1);
        }
    }

    // ---- counters ------------------------------------------------------------------------------

    private static void incr(Call c) {
        incrDecr(c, 1);
    }

    private static void decr(Call c) {
        incrDecr(c, -1);
    }

    private static void incrby(Call c) {
        incrDecr(c, c.longArg(2));
    }

    private static void decrby(Call c) {
        long by = c.longArg(2);
        if (by == Long.MIN_VALUE) throw new CommandError("decrement would overflow");
        incrDecr(c, -by);
    }

    /** The new value replaces the old one in place: the key keeps its TTL. */
    private static void incrDecr(Call c, long incr) {
        Key key = c.key(1);
        Object o = c.write(key);
        if (o != null && !(o instanceof byte[])) throw new CommandError(CommandError.WRONGTYPE);
        long value = 0;
        if (o != null) {
            byte[] s = (byte[]) o;
            value = Numbers.parseLong(s);
            if (value == Numbers.INVALID && !Numbers.isMinValue(s)) throw new CommandError(CommandError.NOT_INTEGER);
        }
        if ((incr < 0 && value < 0 && incr < Long.MIN_VALUE - value)
                || (incr > 0 && value > 0 && incr > Long.MAX_VALUE - value)) {
            throw new CommandError(CommandError.OVERFLOW);
        }
        value += incr;
        c.db().put(key, Call.bytes(value));
        c.touched(key);
        c.dirty(1);
        c.reply().integer(value);
    }

    // ---- APPEND / STRLEN -----------------------------------------------------------------------

    private static void append(Call c) {
        Key key = c.key(1);
        byte[] tail = c.arg(2);
        Object o = c.write(key);
        long len;
        if (o == null) {
            c.db().put(key, tail);
            len = tail.length;
        } else {
            if (!(o instanceof byte[] old)) throw new CommandError(CommandError.WRONGTYPE);
            len = (long) old.length + tail.length;
            if ((!c.engine.loading && len > c.engine.cfg.protoMaxBulkLen) || len > Integer.MAX_VALUE - 16) {
                throw new CommandError("string exceeds maximum allowed size (proto-max-bulk-len)");
            }
            // A new array: a background snapshot may still be reading the old one.
            byte[] joined = Arrays.copyOf(old, (int) len);
            System.arraycopy(tail, 0, joined, old.length, tail.length);
            c.db().put(key, joined);
        }
        c.touched(key);
        c.dirty(1);
        c.reply().integer(len);
    }

    private static void strlen(Call c) {
        byte[] v = c.readString(c.key(1));
        c.reply().integer(v == null ? 0 : v.length);
    }

    // ---- multi-key -----------------------------------------------------------------------------

    /** Missing keys and keys of another type both give nil. */
    private static void mget(Call c) {
        c.reply().array(c.argc() - 1);
        for (int i = 1; i < c.argc(); i++) {
            Object v = c.read(c.key(i));
            if (v instanceof byte[] b) c.reply().bulk(b);
            else c.reply().nullBulk();
        }
    }

    private static void mset(Call c) {
        msetGeneric(c, false);
    }

    private static void msetnx(Call c) {
        msetGeneric(c, true);
    }

    private static void msetGeneric(Call c, boolean nx) {
        if (c.argc() % 2 == 0) throw new CommandError("wrong number of arguments for '" + c.spec.name() + "' command");
        if (nx) {
            for (int j = 1; j < c.argc(); j += 2) {
                if (c.write(c.key(j)) != null) {
                    c.reply().integer(0);
                    return;
                }
            }
        }
        Database db = c.db();
        for (int j = 1; j < c.argc(); j += 2) {
            Key key = c.key(j);
            if (!nx) c.write(key); // expired keys are deleted (and DEL logged) first, as setKey's lookup does
            db.overwrite(key, c.arg(j + 1));
            c.touched(key);
        }
        c.dirty((c.argc() - 1) / 2);
        if (nx) c.reply().integer(1);
        else c.reply().simple("OK");
    }
}
