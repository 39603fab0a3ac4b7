package lossmeter.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import lossmeter.server.aof.AofLoader;
import lossmeter.server.aof.AofWriter;
import lossmeter.server.command.Client;
import lossmeter.server.command.CommandTable;
import lossmeter.server.command.Dispatcher;
import lossmeter.server.command.Engine;
import lossmeter.server.command.ServerHooks;
import lossmeter.server.config.ServerConfig;
import lossmeter.server.log.Log;
import lossmeter.server.net.EventLoop;
import lossmeter.server.persistence.PersistenceService;
import lossmeter.server.rdb.RdbLoader;

/**
 * One server process: binds, loads the dataset, opens the AOF, logs {@code Ready to accept
 * connections}, then runs the event loop until SHUTDOWN or SIGTERM, when it writes and fsyncs
 * the AOF before it exits.
 */
public final class Server implements ServerHooks {
    private final ServerConfig cfg;
    private final Log log;
    private final Engine engine;
    private final Dispatcher dispatcher;
    private final EventLoop loop;
    private final PersistenceService persistence;
    /** True once SHUTDOWN ran the pre-exit steps (final save), so the exit path does not repeat them. */
    private boolean shutdownPrepared;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean shuttingDown;
    private volatile int exitStatus = 0;

    public Server(ServerConfig cfg, Log log) throws IOException {
        this.cfg = cfg;
        this.log = log;
        this.engine = new Engine(cfg, log, CommandTable.standard());
        this.dispatcher = new Dispatcher(engine);
        this.loop = new EventLoop(engine, dispatcher, this::cron);
        engine.hooks = this;
        this.persistence = new PersistenceService(engine, dispatcher, loop::wakeup, this::die);
        engine.persistence = persistence;
    }

    /** Runs the server to the end; returns the exit status. */
    public int run() {
        log.notice("oO0OoO0OoO0Oo lossmeter target-server is starting oO0OoO0OoO0Oo");
        log.notice("lossmeter target-server version=0.1.0, redis compatibility=7.0, pid=" + ProcessHandle.current().pid()
                + ", just started");
        if (cfg.enableUnsafeDurabilitySwitches && !cfg.unsafeSummary().isEmpty()) {
            log.warning("UNSAFE durability switches are on (" + cfg.unsafeSummary() + "): this server breaks its fsync "
                    + "promise on purpose, for testing durability checkers");
        }
        Path dir = cfg.dirPath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            log.warning("Can't chdir to '" + cfg.dir + "': " + e.getMessage());
            return 1;
        }
        int port;
        try {
            port = loop.listen(cfg.bind, cfg.port, cfg.tcpBacklog);
        } catch (IOException e) {
            log.warning("Warning: Could not create server TCP listening socket " + cfg.bind + ":" + cfg.port + ": "
                    + e.getMessage());
            log.warning("Failed listening on port " + cfg.port + " (tcp), aborting.");
            return 1;
        }
        log.notice("Server initialized");
        long[] caps = loop.heapCaps();
        log.notice("Client buffers are capped at " + caps[0] + " bytes per client and " + caps[1] + " in all (1/8 and 1/4 of "
                + "the max heap), whatever client-output-buffer-limit and client-query-buffer-limit allow");
        Thread hook = new Thread(this::onSignal, "shutdown-signal");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (!loadData()) return 1;
            if (cfg.appendonly) {
                try {
                    engine.aof = AofWriter.open(cfg, log, cfg.aofPath(), this::die);
                    // A finished background fsync may end an everysec postponement: wake up to write.
                    engine.aof.onBackgroundFsyncDone(loop::wakeup);
                } catch (IOException e) {
                    log.warning("Can't open the append-only file: " + e.getMessage());
                    return 1;
                }
            }
            log.notice("Ready to accept connections tcp port=" + port);
            loop.run();
            return finishShutdown();
        } catch (Throwable t) {
            // Everything that ends the loop unplanned lands here, OutOfMemoryError included: the log
            // must say what happened, not leave the shutdown hook's SIGTERM line as the last word.
            loop.closeAll(); // first, so the clients' buffers are garbage before the log line needs memory
            FatalError.log(log, t);
            return 1;
        } finally {
            loop.closeAll();
            stopped.countDown();
        }
    }

    private boolean loadData() throws IOException {
        PersistenceService.removeLeftoverTempFiles(cfg.dirPath(), log);
        if (!cfg.appendonly) {
            engine.loading = true;
            boolean ok = RdbLoader.loadAtStartup(cfg, log, engine.dbs, this::serveClientsWhileLoading);
            engine.loading = false;
            return ok;
        }
        long start = System.nanoTime();
        engine.loading = true;
        Client fake = new Client(0, "aof-loader");
        AofLoader loader = new AofLoader(cfg, log, engine.dbs, argv -> dispatcher.replay(fake, argv),
                this::serveClientsWhileLoading);
        AofLoader.Result r = loader.load(cfg.aofPath());
        engine.loading = false;
        switch (r.status()) {
            case FAILED -> {
                return false;
            }
            case NOT_FOUND, EMPTY -> {
                return true;
            }
            default -> {
                double secs = (System.nanoTime() - start) / 1e9;
                log.notice(String.format(java.util.Locale.ROOT, "DB loaded from append only file: %.3f seconds", secs));
                return true;
            }
        }
    }

    private void serveClientsWhileLoading() {
        try {
            loop.processEventsNow();
        } catch (IOException e) {
            log.warning("Error serving clients while loading: " + e.getMessage());
        }
    }

    private void cron() {
        var aof = engine.aof;
        if (aof != null) aof.cron();
        if (engine.activeExpireEnabled) engine.activeExpireCycle(Math.max(1, 25 * 10 / cfg.hz / 10));
        engine.persistence.cron();
    }

    /**
     * SIGTERM/SIGINT: shut down like SHUTDOWN would, and wait for the loop to finish it. The JVM
     * also runs this hook when {@link #run()} has already returned and main calls System.exit (a
     * bad AOF or RDB, a fatal error): that is no signal, and the cause is logged already.
     */
    private void onSignal() {
        if (shuttingDown || stopped.getCount() == 0) return;
        log.warning("Received SIGTERM scheduling shutdown...");
        shuttingDown = true;
        loop.stop();
        try {
            stopped.await(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int finishShutdown() {
        log.warning("User requested shutdown...");
        if (!shutdownPrepared && persistence.prepareShutdown(false, false) != null) {
            // A signal cannot be refused here (the JVM is already exiting), unlike SHUTDOWN.
            log.warning("SIGTERM received but errors trying to shut down the server, check the logs for more information");
            exitStatus = 1;
        }
        var aof = engine.aof;
        if (aof != null) {
            try {
                aof.flushAndSync();
                aof.close();
            } catch (IOException e) {
                log.warning("Error trying to shut down: the AOF could not be written and synced: " + e.getMessage());
                return 1;
            }
        }
        log.warning("Redis is now ready to exit, bye bye...");
        return exitStatus;
    }

    /** The AOF write path asks for this under always when a write or fsync failed. */
    private void die(int status) {
        log.warning("Exiting with status " + status);
        Runtime.getRuntime().halt(status);
    }

    // ---- ServerHooks ----------------------------------------------------------------------------

    @Override
    public String shutdown(boolean save, boolean nosave) {
        String err = persistence.prepareShutdown(save, nosave);
        if (err != null) return err;
        shutdownPrepared = true;
        shuttingDown = true;
        loop.stop();
        return null;
    }

    @Override
    public List<Client> clients() {
        return loop.clients();
    }

    @Override
    public int port() {
        return loop.port();
    }

    @Override
    public boolean kill(long clientId) {
        return loop.kill(clientId);
    }
}
