package lossmeter.server.command;

import static lossmeter.server.command.CommandSpec.Flag.FAST;
import static lossmeter.server.command.CommandSpec.Flag.READONLY;
import static lossmeter.server.command.CommandSpec.Flag.WRITE;

import lossmeter.server.keyspace.Database;
import lossmeter.server.keyspace.Key;

/**
 * EXPIRE PEXPIRE EXPIREAT PEXPIREAT PERSIST TTL PTTL EXPIRETIME PEXPIRETIME, following Redis 7.0's
 * expire.c. Every new expiry is logged as {@code PEXPIREAT key abs-ms [options]}; one already in
 * the past deletes the key and is logged as {@code DEL key}. Registered by {@link KeyCommands}.
 */
final class ExpireCommands {
    private ExpireCommands() {
    }

    private static final byte[] PEXPIREAT = Call.bytes("PEXPIREAT");
    private static final byte[] DEL = Call.bytes("DEL");

    private static final int NX = 1;
    private static final int XX = 2;
    private static final int GT = 4;
    private static final int LT = 8;

    static void register(CommandTable t) {
        t.add("expire", -3, 1, 1, 1, ExpireCommands::expire, WRITE, FAST);
        t.add("pexpire", -3, 1, 1, 1, ExpireCommands::pexpire, WRITE, FAST);
        t.add("expireat", -3, 1, 1, 1, ExpireCommands::expireat, WRITE, FAST);
        t.add("pexpireat", -3, 1, 1, 1, ExpireCommands::pexpireat, WRITE, FAST);
        t.add("persist", 2, 1, 1, 1, ExpireCommands::persist, WRITE, FAST);
        t.add("ttl", 2, 1, 1, 1, ExpireCommands::ttl, READONLY, FAST);
        t.add("pttl", 2, 1, 1, 1, ExpireCommands::pttl, READONLY, FAST);
        t.add("expiretime", 2, 1, 1, 1, ExpireCommands::expiretime, READONLY, FAST);
        t.add("pexpiretime", 2, 1, 1, 1, ExpireCommands::pexpiretime, READONLY, FAST);
    }

    private static void expire(Call c) {
        expireGeneric(c, c.engine.now(), true);
    }

    private static void pexpire(Call c) {
        expireGeneric(c, c.engine.now(), false);
    }

    private static void expireat(Call c) {
        expireGeneric(c, 0, true);
    }

    private static void pexpireat(Call c) {
        expireGeneric(c, 0, false);
    }

    /** Redis's expireGenericCommand: options, then the time, then the key; replies 1 when the TTL was set. */
    private static void expireGeneric(Call c, long basetime, boolean seconds) {
        int flags = parseFlags(c);
        long when = c.longArg(2);
        if (seconds) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) throw invalidExpire(c);
            when *= 1000;
        }
        if (when > Long.MAX_VALUE - basetime) throw invalidExpire(c);
        when += basetime;

        Key key = c.key(1);
        if (c.write(key) == null) {
            c.reply().integer(0);
            return;
        }
        Database db = c.db();
        if (flags != 0) {
            long current = db.expireAt(key);
            boolean refused = ((flags & NX) != 0 && current != -1)
                    || ((flags & XX) != 0 && current == -1)
                    || ((flags & GT) != 0 && (when <= current || current == -1))
                    || ((flags & LT) != 0 && current != -1 && when >= current);
            if (refused) {
                c.reply().integer(0);
                return;
            }
        }
        if (when <= c.engine.now() && !c.engine.loading) {
            db.remove(key);
            c.dirty(1);
            c.propagateAs(DEL, key.bytes());
            c.touched(key);
            c.reply().integer(1);
            return;
        }
        db.setExpire(key, when);
        byte[][] logged = c.argv.clone();
        if (!c.spec.name().equals("pexpireat")) logged[0] = PEXPIREAT;
        if (basetime != 0 || seconds) logged[2] = Call.bytes(when);
        c.propagateAs(logged);
        c.touched(key);
        c.dirty(1);
        c.reply().integer(1);
    }

    /** NX XX GT LT, in any case and any number; the incompatible pairs are refused. */
    private static int parseFlags(Call c) {
        int flags = 0;
        for (int j = 3; j < c.argc(); j++) {
            if (c.is(j, "NX")) flags |= NX;
            else if (c.is(j, "XX")) flags |= XX;
            else if (c.is(j, "GT")) flags |= GT;
            else if (c.is(j, "LT")) flags |= LT;
            else throw new CommandError("Unsupported option " + c.str(j));
        }
        if ((flags & NX) != 0 && (flags & (XX | GT | LT)) != 0) {
            throw new CommandError("ERR NX and XX, GT or LT options at the same time are not compatible");
        }
        if ((flags & (GT | LT)) == (GT | LT)) {
            throw new CommandError("ERR GT and LT options at the same time are not compatible");
        }
        return flags;
    }

    private static CommandError invalidExpire(Call c) {
        return new CommandError("invalid expire time in '" + c.spec.name() + "' command");
    }

    private static void persist(Call c) {
        Key key = c.key(1);
        if (c.write(key) != null && c.db().persist(key)) {
            c.touched(key);
            c.dirty(1);
            c.reply().integer(1);
        } else {
            c.reply().integer(0);
        }
    }

    private static void ttl(Call c) {
        ttlGeneric(c, false, false);
    }

    private static void pttl(Call c) {
        ttlGeneric(c, true, false);
    }

    private static void expiretime(Call c) {
        ttlGeneric(c, false, true);
    }

    private static void pexpiretime(Call c) {
        ttlGeneric(c, true, true);
    }

    /** -2 for a missing key, -1 for no expiry; seconds are rounded to the nearest, as Redis does. */
    private static void ttlGeneric(Call c, boolean millis, boolean absolute) {
        Key key = c.key(1);
        if (c.read(key) == null) {
            c.reply().integer(-2);
            return;
        }
        long expire = c.db().expireAt(key);
        if (expire == -1) {
            c.reply().integer(-1);
            return;
        }
        long ttl = absolute ? expire : expire - c.engine.now();
        if (ttl < 0) ttl = 0;
        c.reply().integer(millis ? ttl : Long.divideUnsigned(ttl + 500, 1000));
    }
}
