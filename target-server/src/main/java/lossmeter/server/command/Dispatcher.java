package lossmeter.server.command;

import java.nio.charset.StandardCharsets;

import lossmeter.server.command.CommandSpec.Flag;

/**
 * Runs a request the way Redis's processCommand does: look the command up, check arity,
 * authentication, loading and the disk-error state, queue it inside MULTI, or call it and then
 * hand what it changed to the AOF. Replies go to the client's buffer; the event loop writes them
 * only after the AOF write of the iteration.
 */
public final class Dispatcher {
    private final Engine engine;

    public Dispatcher(Engine engine) {
        this.engine = engine;
    }

    public Engine engine() {
        return engine;
    }

    /** Handles one request from a client. */
    public void process(Client c, byte[][] argv) {
        if (argv.length == 0) return;
        c.lastInteractionMillis = System.currentTimeMillis();
        CommandSpec spec = engine.commands.lookup(argv[0]);
        if (spec == null) {
            flagTransaction(c);
            c.out.error(unknownCommand(argv));
            return;
        }
        c.lastCommand = spec.name();
        if (!spec.arityOk(argv.length)) {
            flagTransaction(c);
            c.out.error("wrong number of arguments for '" + spec.name() + "' command");
            return;
        }
        if (!engine.cfg.requirepass.isEmpty() && !c.authenticated && !spec.is(Flag.NO_AUTH)) {
            flagTransaction(c);
            c.out.error("NOAUTH Authentication required.");
            return;
        }
        if (engine.loading && !spec.is(Flag.LOADING)) {
            c.out.error("LOADING Redis is loading the dataset in memory");
            return;
        }
        String denied = engine.writeDeniedReason();
        if (denied != null) {
            boolean isExec = spec.name().equals("exec");
            boolean writes = spec.is(Flag.WRITE) || spec.name().equals("ping") || (isExec && c.inMulti && queuedWrites(c));
            if (writes) {
                if (isExec) {
                    c.discardTransaction();
                    engine.unwatchAll(c);
                    c.out.error("EXECABORT Transaction discarded because of: MISCONF " + denied);
                } else {
                    flagTransaction(c);
                    c.out.error("MISCONF " + denied);
                }
                return;
            }
        }
        if (c.inMulti && !spec.is(Flag.NO_MULTI)) {
            c.queued.add(new Client.Queued(spec, argv));
            c.out.simple("QUEUED");
            return;
        }
        var aof = engine.aof;
        int buffered = aof == null ? 0 : aof.bufferLength();
        call(c, spec, argv);
        engine.flushPropagation();
        if (aof != null && aof.bufferLength() != buffered) c.awaitingAof = true;
    }

    /**
     * Replays a command read from the AOF on a fake client: no auth, loading or disk checks,
     * no propagation. Returns false when the command is unknown or malformed, which must stop the load.
     */
    public boolean replay(Client fake, byte[][] argv) {
        CommandSpec spec = engine.commands.lookup(argv[0]);
        if (spec == null || !spec.arityOk(argv.length)) return false;
        if (fake.inMulti && !spec.is(Flag.NO_MULTI)) {
            fake.queued.add(new Client.Queued(spec, argv));
        } else {
            call(fake, spec, argv);
        }
        fake.out.clear();
        return true;
    }

    /** Executes a command now (also used by EXEC for each queued command). */
    void call(Client c, CommandSpec spec, byte[][] argv) {
        long before = engine.dirty;
        int db = c.db;
        Call call = new Call(this, c, spec, argv);
        try {
            spec.handler().run(call);
        } catch (CommandError e) {
            c.out.error(e.getMessage());
        }
        engine.stats.totalCommands++;
        if (spec.is(Flag.WRITE) && engine.dirty != before && !call.noPropagate) {
            engine.propagate(db, call.propagateAs != null ? call.propagateAs : argv);
        }
    }

    private static boolean queuedWrites(Client c) {
        for (Client.Queued q : c.queued) if (q.spec().is(Flag.WRITE)) return true;
        return false;
    }

    private static void flagTransaction(Client c) {
        if (c.inMulti) c.multiError = true;
    }

    static String unknownCommand(byte[][] argv) {
        StringBuilder sb = new StringBuilder("unknown command '");
        sb.append(clip(argv[0], 128)).append("', with args beginning with: ");
        int room = 128;
        for (int i = 1; i < argv.length && room > 0; i++) {
            String a = clip(argv[i], room);
            sb.append('\'').append(a).append("' ");
            room -= a.length();
        }
        return sb.toString();
    }

    private static String clip(byte[] b, int max) {
        String s = new String(b, 0, Math.min(b.length, max), StandardCharsets.UTF_8);
        return s.replace('\r', ' ').replace('\n', ' ');
    }
}
