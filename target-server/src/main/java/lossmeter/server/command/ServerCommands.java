package lossmeter.server.command;

import static lossmeter.server.command.CommandSpec.Flag.ADMIN;
import static lossmeter.server.command.CommandSpec.Flag.FAST;
import static lossmeter.server.command.CommandSpec.Flag.LOADING;
import static lossmeter.server.command.CommandSpec.Flag.NO_MULTI;
import static lossmeter.server.command.CommandSpec.Flag.READONLY;
import static lossmeter.server.command.CommandSpec.Flag.STALE;
import static lossmeter.server.command.CommandSpec.Flag.WRITE;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import lossmeter.server.config.ConfigException;
import lossmeter.server.resp.ReplyBuffer;

/** INFO CONFIG DEBUG SHUTDOWN FLUSHALL FLUSHDB DBSIZE LASTSAVE TIME COMMAND and the persistence triggers. */
final class ServerCommands {
    private ServerCommands() {
    }

    /** Directives CONFIG SET may change at runtime without the server doing anything more. */
    static void register(CommandTable t) {
        t.add("info", -1, 0, 0, 0, ServerCommands::info, LOADING, STALE);
        t.add("config", -2, 0, 0, 0, ServerCommands::config, ADMIN, LOADING, STALE, NO_MULTI);
        t.add("debug", -2, 0, 0, 0, DebugCommand::run, ADMIN, LOADING, STALE);
        t.add("shutdown", -1, 0, 0, 0, ServerCommands::shutdown, ADMIN, LOADING, STALE, NO_MULTI);
        t.add("flushall", -1, 0, 0, 0, ServerCommands::flushall, WRITE);
        t.add("flushdb", -1, 0, 0, 0, ServerCommands::flushdb, WRITE);
        t.add("dbsize", 1, 0, 0, 0, c -> c.reply().integer(c.db().size()), READONLY, FAST);
        t.add("lastsave", 1, 0, 0, 0, c -> c.reply().integer(c.engine.lastSaveUnix), LOADING, STALE, FAST);
        t.add("time", 1, 0, 0, 0, ServerCommands::time, LOADING, STALE, FAST);
        t.add("command", -1, 0, 0, 0, ServerCommands::command, LOADING, STALE);
        t.add("bgrewriteaof", 1, 0, 0, 0, c -> c.reply().simple(c.engine.persistence.rewriteAof()), ADMIN, NO_MULTI);
        t.add("save", 1, 0, 0, 0, ServerCommands::save, ADMIN, NO_MULTI);
        t.add("bgsave", -1, 0, 0, 0, ServerCommands::bgsave, ADMIN, NO_MULTI);
    }

    private static void info(Call c) {
        List<String> sections = new ArrayList<>();
        for (int i = 1; i < c.argc(); i++) sections.add(c.str(i).toLowerCase(Locale.ROOT));
        c.reply().bulk(ServerInfo.render(c.engine, sections));
    }

    private static void config(Call c) {
        String sub = c.str(1).toLowerCase(Locale.ROOT);
        switch (sub) {
            case "get" -> {
                if (c.argc() < 3) throw ConnectionCommands.wrongArgs("config|get");
                List<String[]> pairs = new ArrayList<>();
                java.util.Set<String> seen = new java.util.HashSet<>();
                for (int i = 2; i < c.argc(); i++) {
                    for (String[] p : c.engine.cfg.get(c.str(i))) if (seen.add(p[0])) pairs.add(p);
                }
                c.reply().array(pairs.size() * 2L);
                for (String[] p : pairs) c.reply().bulk(p[0]).bulk(p[1]);
            }
            case "set" -> {
                if (c.argc() < 4 || c.argc() % 2 != 0) throw ConnectionCommands.wrongArgs("config|set");
                // All or nothing, as Redis 7: validate every pair on a scratch copy first.
                for (int i = 2; i < c.argc(); i += 2) {
                    try {
                        new lossmeter.server.config.ServerConfig().setAtRuntime(c.str(i), c.str(i + 1));
                    } catch (ConfigException e) {
                        throw new CommandError(e.getMessage());
                    }
                }
                for (int i = 2; i < c.argc(); i += 2) {
                    boolean wasAppendonly = c.engine.cfg.appendonly;
                    try {
                        c.engine.cfg.setAtRuntime(c.str(i), c.str(i + 1));
                    } catch (ConfigException e) {
                        throw new CommandError(e.getMessage());
                    }
                    if (c.str(i).equalsIgnoreCase("loglevel")) c.engine.log.level(c.engine.cfg.loglevel);
                    if (c.str(i).equalsIgnoreCase("appendonly") && c.engine.cfg.appendonly != wasAppendonly) {
                        try {
                            c.engine.persistence.appendonlyChanged(c.engine.cfg.appendonly);
                        } catch (CommandError e) {
                            c.engine.cfg.appendonly = wasAppendonly;
                            throw new CommandError("CONFIG SET failed (possibly related to argument 'appendonly') - "
                                    + e.getMessage());
                        }
                    }
                }
                c.reply().simple("OK");
            }
            case "resetstat" -> c.reply().simple("OK");
            case "rewrite" -> throw new CommandError("CONFIG REWRITE is not supported: this server does not rewrite its config file");
            default -> throw new CommandError("unknown subcommand '" + c.str(1) + "'. Try CONFIG HELP.");
        }
    }

    private static void shutdown(Call c) {
        boolean save = false, nosave = false;
        for (int i = 1; i < c.argc(); i++) {
            if (c.is(i, "SAVE")) save = true;
            else if (c.is(i, "NOSAVE")) nosave = true;
            else if (c.is(i, "NOW") || c.is(i, "FORCE")) {
                // No replicas to wait for: NOW changes nothing here; FORCE is honoured by the hook.
            } else if (c.is(i, "ABORT")) throw new CommandError("No shutdown in progress.");
            else throw new CommandError(CommandError.SYNTAX);
        }
        if (save && nosave) throw new CommandError(CommandError.SYNTAX);
        String err = c.engine.hooks.shutdown(save, nosave);
        if (err != null) throw new CommandError(err);
    }

    private static void flushall(Call c) {
        checkFlushArgs(c, "flushall");
        c.engine.flushAll();
        c.engine.persistence.afterFlushAll();
        c.dirty(1);
    }

    private static void flushdb(Call c) {
        checkFlushArgs(c, "flushdb");
        c.engine.signalFlushed(c.client.db);
        c.db().clear();
        c.dirty(1);
    }

    private static void checkFlushArgs(Call c, String name) {
        if (c.argc() > 2 || (c.argc() == 2 && !c.is(1, "SYNC") && !c.is(1, "ASYNC"))) {
            throw new CommandError(CommandError.SYNTAX);
        }
        c.reply().simple("OK");
    }

    private static void time(Call c) {
        long micros = java.time.Instant.now().toEpochMilli() * 1000 + (System.nanoTime() / 1000) % 1000;
        c.reply().array(2).bulk(Long.toString(micros / 1_000_000)).bulk(Long.toString(micros % 1_000_000));
    }

    private static void save(Call c) {
        c.engine.persistence.save();
        c.reply().simple("OK");
    }

    private static void bgsave(Call c) {
        boolean schedule = c.argc() == 2 && c.is(1, "SCHEDULE");
        if (c.argc() > 2 || (c.argc() == 2 && !schedule)) throw new CommandError(CommandError.SYNTAX);
        c.reply().simple(c.engine.persistence.bgsave(schedule));
    }

    // COMMAND, COMMAND COUNT, COMMAND INFO, COMMAND LIST, COMMAND DOCS: enough for clients that
    // introspect at start (redis-cli 7 asks for DOCS to build hints and copes with an empty answer).
    private static void command(Call c) {
        CommandTable t = c.engine.commands;
        ReplyBuffer r = c.reply();
        if (c.argc() == 1) {
            r.array(t.all().size());
            for (CommandSpec s : t.all()) describe(r, s);
            return;
        }
        switch (c.str(1).toLowerCase(Locale.ROOT)) {
            case "count" -> r.integer(t.all().size());
            case "info" -> {
                r.array(c.argc() - 2L);
                for (int i = 2; i < c.argc(); i++) {
                    CommandSpec s = t.lookup(c.arg(i));
                    if (s == null) r.nullArray();
                    else describe(r, s);
                }
            }
            case "list" -> {
                r.array(t.all().size());
                for (CommandSpec s : t.all()) r.bulk(s.name());
            }
            case "docs" -> r.array(0);
            case "getkeys" -> {
                if (c.argc() < 3) throw ConnectionCommands.wrongArgs("command|getkeys");
                CommandSpec s = t.lookup(c.arg(2));
                if (s == null) throw new CommandError("Invalid command specified");
                int argc = c.argc() - 2;
                if (s.firstKey() == 0) throw new CommandError("The command has no key arguments");
                int last = s.lastKey() < 0 ? argc + s.lastKey() : s.lastKey();
                List<byte[]> keys = new ArrayList<>();
                for (int i = s.firstKey(); i <= last && i < argc; i += Math.max(1, s.step())) keys.add(c.arg(i + 2));
                r.array(keys.size());
                for (byte[] k : keys) r.bulk(k);
            }
            default -> throw new CommandError("unknown subcommand '" + c.str(1) + "'. Try COMMAND HELP.");
        }
    }

    private static void describe(ReplyBuffer r, CommandSpec s) {
        r.array(10);
        r.bulk(s.name());
        r.integer(s.arity());
        r.array(s.flags().size());
        for (CommandSpec.Flag f : s.flags()) r.simple(f.name().toLowerCase(Locale.ROOT));
        r.integer(s.firstKey()).integer(s.lastKey()).integer(s.step());
        r.array(0).array(0).array(0).array(0);
    }
}
