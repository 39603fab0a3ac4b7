package lossmeter.server.persistence;

import java.io.IOException;

import lossmeter.server.aof.AofLoader;
import lossmeter.server.aof.AofWriter;
import lossmeter.server.command.Client;
import lossmeter.server.command.CommandError;
import lossmeter.server.command.Dispatcher;
import lossmeter.server.command.Engine;
import lossmeter.server.rdb.RdbException;
import lossmeter.server.rdb.RdbLoader;
import lossmeter.server.rdb.RdbWriter;

/** The reloads of DEBUG RELOAD and DEBUG LOADAOF: empty every database, then load the file back. */
final class DebugLoads {
    private DebugLoads() {
    }

    /** Loads {@code dbfilename} into the emptied databases (the caller saved it just before). */
    static void reloadRdb(Engine engine) {
        engine.flushAll();
        try {
            RdbLoader.load(engine.cfg.dirPath().resolve(engine.cfg.dbfilename), engine.dbs, engine.log,
                    RdbLoader.Options.of(engine.cfg, null));
        } catch (RdbException e) {
            // Redis exits here; the dump was written a moment ago, so this means the disk changed it.
            RdbLoader.logRefusal(engine.log, e);
            throw new CommandError("Error trying to load the RDB dump, check server logs.");
        } catch (IOException e) {
            engine.log.warning("Error loading the RDB dump: " + RdbWriter.reason(e));
            throw new CommandError("Error trying to load the RDB dump, check server logs.");
        }
        engine.log.warning("DB reloaded by DEBUG RELOAD");
    }

    /** Writes the AOF buffer out, empties the databases and replays the AOF (preamble included). */
    static void reloadAof(Engine engine, Dispatcher dispatcher) {
        AofWriter aof = engine.aof;
        if (aof != null && !aof.flush(true)) {
            throw new CommandError("Error writing the AOF buffer before DEBUG LOADAOF: " + aof.writeDeniedReason());
        }
        engine.flushAll();
        engine.loading = true;
        Client fake = new Client(0, "aof-loader");
        AofLoader.Result r;
        try {
            r = new AofLoader(engine.cfg, engine.log, engine.dbs, argv -> dispatcher.replay(fake, argv), () -> { })
                    .load(engine.cfg.aofPath());
        } finally {
            engine.loading = false;
        }
        if (!r.started()) throw new CommandError("Error loading the AOF, check server logs.");
        engine.log.warning("Append Only File loaded by DEBUG LOADAOF");
    }
}
