package lossmeter.server.command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import lossmeter.server.aof.AofWriter;
import lossmeter.server.config.ServerConfig;
import lossmeter.server.log.Log;
import lossmeter.server.resp.ProtocolException;
import lossmeter.server.resp.RequestParser;

/**
 * An engine and one client, in process, for command tests: {@link #run} executes a command and
 * returns its raw RESP reply; {@link #aofCommands()} returns what was appended to the AOF.
 */
public final class EngineFixture implements AutoCloseable {
    public final ServerConfig cfg;
    public final Engine engine;
    public final Dispatcher dispatcher;
    public final Client client;
    private Path aofDir;
    private long nextClientId = 2;

    public EngineFixture() {
        this(new ServerConfig());
    }

    public EngineFixture(ServerConfig cfg) {
        this.cfg = cfg;
        this.engine = new Engine(cfg, Log.toStdout(), CommandTable.standard());
        this.dispatcher = new Dispatcher(engine);
        this.client = new Client(1, "127.0.0.1:1");
    }

    /** Attaches an AOF in a fresh temp directory, so propagation can be checked. */
    public EngineFixture withAof() throws IOException {
        aofDir = Files.createTempDirectory("engine-fixture");
        cfg.dir = aofDir.toString();
        cfg.appendonly = true;
        engine.aof = AofWriter.open(cfg, engine.log, aofDir.resolve("appendonly.aof"), status -> {
            throw new IllegalStateException("server would exit with status " + status);
        });
        return this;
    }

    public Client newClient() {
        return new Client(nextClientId++, "127.0.0.1:" + nextClientId);
    }

    /** Runs a command on the fixture's client and returns the raw RESP reply. */
    public String run(String... args) {
        return run(client, args);
    }

    public String run(Client c, String... args) {
        byte[][] argv = new byte[args.length][];
        for (int i = 0; i < args.length; i++) argv[i] = args[i].getBytes(StandardCharsets.UTF_8);
        return run(c, argv);
    }

    public String run(Client c, byte[][] argv) {
        dispatcher.process(c, argv);
        String out = new String(c.out.toByteArray(), StandardCharsets.UTF_8);
        c.out.clear();
        return out;
    }

    /** Flushes the AOF buffer and parses the file back into commands, one String list each. */
    public List<List<String>> aofCommands() throws IOException, ProtocolException {
        engine.aof.flush(true);
        byte[] data = Files.readAllBytes(aofDir.resolve("appendonly.aof"));
        RequestParser p = new RequestParser(RequestParser.Mode.AOF, Long.MAX_VALUE);
        p.feed(data, 0, data.length, 0);
        List<List<String>> out = new ArrayList<>();
        byte[][] argv;
        while ((argv = p.next()) != null) {
            if (argv.length == 0) continue;
            List<String> cmd = new ArrayList<>();
            for (byte[] a : argv) cmd.add(new String(a, StandardCharsets.UTF_8));
            out.add(cmd);
        }
        return out;
    }

    public Path aofFile() {
        return aofDir.resolve("appendonly.aof");
    }

    @Override
    public void close() throws IOException {
        if (engine.aof != null) engine.aof.close();
        if (aofDir != null) {
            try (var s = Files.walk(aofDir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
