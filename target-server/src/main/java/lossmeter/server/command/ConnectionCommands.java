package lossmeter.server.command;

import static lossmeter.server.command.CommandSpec.Flag.FAST;
import static lossmeter.server.command.CommandSpec.Flag.LOADING;
import static lossmeter.server.command.CommandSpec.Flag.NO_AUTH;
import static lossmeter.server.command.CommandSpec.Flag.NO_MULTI;
import static lossmeter.server.command.CommandSpec.Flag.STALE;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import lossmeter.server.resp.ReplyBuffer;

/** PING ECHO QUIT SELECT AUTH HELLO RESET CLIENT: the connection's own state. */
final class ConnectionCommands {
    private ConnectionCommands() {
    }

    static void register(CommandTable t) {
        t.add("ping", -1, 0, 0, 0, ConnectionCommands::ping, FAST, STALE);
        t.add("echo", 2, 0, 0, 0, c -> c.reply().bulk(c.arg(1)), FAST);
        t.add("quit", -1, 0, 0, 0, ConnectionCommands::quit, NO_AUTH, LOADING, STALE, FAST, NO_MULTI);
        t.add("select", 2, 0, 0, 0, ConnectionCommands::select, LOADING, STALE, FAST);
        t.add("auth", -2, 0, 0, 0, ConnectionCommands::auth, NO_AUTH, LOADING, STALE, FAST, NO_MULTI);
        t.add("hello", -1, 0, 0, 0, ConnectionCommands::hello, NO_AUTH, LOADING, STALE, FAST, NO_MULTI);
        t.add("reset", 1, 0, 0, 0, ConnectionCommands::reset, NO_AUTH, LOADING, STALE, FAST, NO_MULTI);
        t.add("client", -2, 0, 0, 0, ConnectionCommands::client, LOADING, STALE);
    }

    private static void ping(Call c) {
        if (c.argc() > 2) throw new CommandError("wrong number of arguments for 'ping' command");
        if (c.argc() == 2) c.reply().bulk(c.arg(1));
        else c.reply().simple("PONG");
    }

    private static void quit(Call c) {
        c.reply().simple("OK");
        c.client.closeAfterReply = true;
    }

    private static void select(Call c) {
        long db = Numbers.parseLong(c.arg(1));
        if (db == Numbers.INVALID) throw new CommandError("value is not an integer or out of range");
        if (db < 0 || db >= c.engine.dbs.length) throw new CommandError("DB index is out of range");
        c.client.db = (int) db;
        c.reply().simple("OK");
    }

    private static void auth(Call c) {
        if (c.argc() > 3) throw new CommandError(CommandError.SYNTAX);
        String pass = c.engine.cfg.requirepass;
        if (c.argc() == 2 && pass.isEmpty()) {
            throw new CommandError("AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?");
        }
        String user = c.argc() == 3 ? c.str(1) : "default";
        String given = c.str(c.argc() - 1);
        if (!user.equals("default") || !constantTimeEquals(given, pass)) {
            c.client.authenticated = false;
            throw new CommandError("WRONGPASS invalid username-password pair or user is disabled.");
        }
        c.client.authenticated = true;
        c.reply().simple("OK");
    }

    private static boolean constantTimeEquals(String a, String b) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] x = md.digest(a.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            byte[] y = md.digest(b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return MessageDigest.isEqual(x, y);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HELLO [protover [AUTH user pass] [SETNAME name]]: RESP2 only; protover 3 is refused so clients fall back. */
    private static void hello(Call c) {
        int i = 1;
        if (c.argc() >= 2) {
            long ver = Numbers.parseLong(c.arg(1));
            if (ver == Numbers.INVALID) throw new CommandError("Protocol version is not an integer or out of range");
            if (ver != 2) throw new CommandError("NOPROTO unsupported protocol version");
            i = 2;
        }
        String setName = null;
        for (; i < c.argc(); i++) {
            boolean more = i + 1 < c.argc();
            if (c.is(i, "AUTH") && i + 2 < c.argc()) {
                String pass = c.engine.cfg.requirepass;
                if (!c.str(i + 1).equals("default") || !constantTimeEquals(c.str(i + 2), pass)) {
                    throw new CommandError("WRONGPASS invalid username-password pair or user is disabled.");
                }
                c.client.authenticated = true;
                i += 2;
            } else if (c.is(i, "SETNAME") && more) {
                setName = c.str(i + 1);
                checkName(setName);
                i++;
            } else {
                throw new CommandError("Syntax error in HELLO option '" + c.str(i) + "'");
            }
        }
        if (!c.engine.cfg.requirepass.isEmpty() && !c.client.authenticated) {
            throw new CommandError("NOAUTH HELLO must be called with the client already authenticated, otherwise the "
                    + "HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time");
        }
        if (setName != null) c.client.name = setName;
        ReplyBuffer r = c.reply();
        r.array(14);
        r.bulk("server").bulk("redis");
        r.bulk("version").bulk(ServerInfo.REDIS_COMPAT_VERSION);
        r.bulk("proto").integer(2);
        r.bulk("id").integer(c.client.id());
        r.bulk("mode").bulk("standalone");
        r.bulk("role").bulk("master");
        r.bulk("modules").array(0);
    }

    private static void reset(Call c) {
        c.client.discardTransaction();
        c.engine.unwatchAll(c.client);
        c.client.db = 0;
        c.client.name = "";
        c.client.authenticated = false;
        c.reply().simple("RESET");
    }

    private static void checkName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < '!' || ch > '~') {
                throw new CommandError("Client names cannot contain spaces, newlines or special characters.");
            }
        }
    }

    private static void client(Call c) {
        String sub = c.str(1).toLowerCase(java.util.Locale.ROOT);
        switch (sub) {
            case "setname" -> {
                if (c.argc() != 3) throw wrongArgs("client|setname");
                checkName(c.str(2));
                c.client.name = c.str(2);
                c.reply().simple("OK");
            }
            case "getname" -> {
                if (c.client.name.isEmpty()) c.reply().nullBulk();
                else c.reply().bulk(c.client.name);
            }
            case "id" -> c.reply().integer(c.client.id());
            case "setinfo" -> {
                if (c.argc() != 4) throw wrongArgs("client|setinfo");
                c.reply().simple("OK");
            }
            case "info" -> c.reply().bulk(describe(c, c.client));
            case "list" -> {
                StringBuilder sb = new StringBuilder();
                for (Client other : c.engine.hooks.clients()) sb.append(describe(c, other));
                c.reply().bulk(sb.toString());
            }
            case "kill" -> {
                if (c.argc() == 4 && c.is(2, "ID")) {
                    long id = Numbers.parseLong(c.arg(3));
                    if (id == Numbers.INVALID) throw new CommandError("client-id should be greater than 0");
                    c.reply().integer(c.engine.hooks.kill(id) ? 1 : 0);
                } else {
                    throw new CommandError(CommandError.SYNTAX);
                }
            }
            case "no-evict", "no-touch", "reply" -> c.reply().simple("OK");
            default -> throw new CommandError("unknown subcommand '" + c.str(1) + "'. Try CLIENT HELP.");
        }
    }

    private static String describe(Call c, Client cl) {
        return ClientInfo.of(cl, c.engine.hooks.port()) + "\n";
    }

    static CommandError wrongArgs(String name) {
        return new CommandError("wrong number of arguments for '" + name + "' command");
    }
}
