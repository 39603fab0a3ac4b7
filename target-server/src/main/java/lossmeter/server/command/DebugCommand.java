package lossmeter.server.command;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

import lossmeter.server.keyspace.Database;
import lossmeter.server.keyspace.ListValue;

/**
 * DEBUG, refused unless {@code enable-debug-command} allows it (as in Redis): SLEEP blocks the
 * event loop; DIGEST is an order-independent checksum of the whole dataset, equal on two servers
 * exactly when they hold the same keys, values and expiries.
 */
final class DebugCommand {
    private DebugCommand() {
    }

    static void run(Call c) {
        String mode = c.engine.cfg.enableDebugCommand;
        boolean local = c.client.addr().startsWith("127.") || c.client.addr().startsWith("[::1]") || c.client.addr().startsWith("::1");
        if (mode.equals("no") || (mode.equals("local") && !local)) {
            throw new CommandError("DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
                    + "you can run it from a local connection, otherwise you need to set this option in the configuration "
                    + "file, and then restart the server.");
        }
        switch (c.str(1).toLowerCase(Locale.ROOT)) {
            case "sleep" -> {
                if (c.argc() != 3) throw ConnectionCommands.wrongArgs("debug|sleep");
                double secs;
                try {
                    secs = Double.parseDouble(c.str(2));
                } catch (NumberFormatException e) {
                    throw new CommandError("value is not a valid float");
                }
                try {
                    Thread.sleep((long) (secs * 1000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                c.reply().simple("OK");
            }
            case "digest" -> c.reply().simple(HexFormat.of().formatHex(digest(c.engine)));
            case "set-active-expire" -> {
                if (c.argc() != 3) throw ConnectionCommands.wrongArgs("debug|set-active-expire");
                c.engine.activeExpireEnabled = !c.str(2).equals("0");
                c.reply().simple("OK");
            }
            case "reload" -> {
                if (c.argc() > 2) throw new CommandError("DEBUG RELOAD options are not supported by this server");
                c.engine.persistence.debugReload();
                c.reply().simple("OK");
            }
            case "loadaof" -> {
                c.engine.persistence.debugLoadAof();
                c.reply().simple("OK");
            }
            default -> throw new CommandError("unknown subcommand '" + c.str(1) + "'. Try DEBUG HELP.");
        }
    }

    /** XOR of one SHA-1 per key over (db, key, type, value, expiry): independent of iteration order. */
    static byte[] digest(Engine e) {
        byte[] acc = new byte[20];
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
        for (Database db : e.dbs) {
            db.forEach((k, v) -> {
                md.reset();
                md.update(ByteBuffer.allocate(4).putInt(db.id()).array());
                lengthPrefixed(md, k.bytes());
                if (v instanceof byte[] s) {
                    md.update((byte) 's');
                    lengthPrefixed(md, s);
                } else if (v instanceof ListValue l) {
                    md.update((byte) 'l');
                    md.update(ByteBuffer.allocate(4).putInt(l.size()).array());
                    for (int i = 0; i < l.size(); i++) lengthPrefixed(md, l.get(i));
                }
                md.update(ByteBuffer.allocate(8).putLong(db.expireAt(k)).array());
                byte[] d = md.digest();
                for (int i = 0; i < 20; i++) acc[i] ^= d[i];
            });
        }
        return acc;
    }

    private static void lengthPrefixed(MessageDigest md, byte[] b) {
        md.update(ByteBuffer.allocate(4).putInt(b.length).array());
        md.update(b);
    }
}
