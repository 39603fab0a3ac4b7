package lossmeter.server.command;

import static lossmeter.server.command.CommandSpec.Flag.FAST;
import static lossmeter.server.command.CommandSpec.Flag.LOADING;
import static lossmeter.server.command.CommandSpec.Flag.NO_MULTI;
import static lossmeter.server.command.CommandSpec.Flag.STALE;

/**
 * MULTI EXEC DISCARD WATCH UNWATCH. EXEC runs the queued commands back to back on the one
 * engine thread, so nothing interleaves, and the engine logs them as one MULTI … EXEC record.
 */
final class TransactionCommands {
    private TransactionCommands() {
    }

    static void register(CommandTable t) {
        t.add("multi", 1, 0, 0, 0, TransactionCommands::multi, NO_MULTI, LOADING, STALE, FAST);
        t.add("exec", 1, 0, 0, 0, TransactionCommands::exec, NO_MULTI, LOADING, STALE);
        t.add("discard", 1, 0, 0, 0, TransactionCommands::discard, NO_MULTI, LOADING, STALE, FAST);
        t.add("watch", -2, 1, -1, 1, TransactionCommands::watch, NO_MULTI, LOADING, STALE, FAST);
        t.add("unwatch", 1, 0, 0, 0, TransactionCommands::unwatch, NO_MULTI, LOADING, STALE, FAST);
    }

    private static void multi(Call c) {
        if (c.client.inMulti) throw new CommandError("MULTI calls can not be nested");
        c.client.inMulti = true;
        c.client.multiError = false;
        c.client.queued.clear();
        c.reply().simple("OK");
    }

    private static void exec(Call c) {
        Client cl = c.client;
        if (!cl.inMulti) throw new CommandError("EXEC without MULTI");
        if (cl.multiError) {
            cl.discardTransaction();
            c.engine.unwatchAll(cl);
            throw new CommandError("EXECABORT Transaction discarded because of previous errors.");
        }
        if (cl.dirtyCas) {
            cl.discardTransaction();
            c.engine.unwatchAll(cl);
            c.reply().nullArray();
            return;
        }
        c.engine.unwatchAll(cl);
        var queued = java.util.List.copyOf(cl.queued);
        cl.discardTransaction();
        c.reply().array(queued.size());
        Engine e = c.engine;
        e.enterExec();
        try {
            for (Client.Queued q : queued) c.dispatcher.call(cl, q.spec(), q.argv());
        } finally {
            e.exitExec();
        }
        e.markTransaction();
    }

    private static void discard(Call c) {
        if (!c.client.inMulti) throw new CommandError("DISCARD without MULTI");
        c.client.discardTransaction();
        c.engine.unwatchAll(c.client);
        c.reply().simple("OK");
    }

    private static void watch(Call c) {
        if (c.client.inMulti) throw new CommandError("WATCH inside MULTI is not allowed");
        for (int i = 1; i < c.argc(); i++) {
            // A key that is already expired counts as absent from the start.
            c.engine.expireIfNeeded(c.db(), c.key(i));
            c.engine.watch(c.client, c.client.db, c.key(i));
        }
        c.reply().simple("OK");
    }

    private static void unwatch(Call c) {
        c.engine.unwatchAll(c.client);
        c.reply().simple("OK");
    }
}
