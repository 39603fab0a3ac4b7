package lossmeter.server.aof;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lossmeter.server.command.Client;
import lossmeter.server.command.EngineFixture;
import lossmeter.server.config.ServerConfig;
import lossmeter.server.keyspace.Database;
import lossmeter.server.keyspace.Key;
import lossmeter.server.log.Log;
import lossmeter.server.rdb.Datasets;
import lossmeter.server.rdb.RdbWriter;

/**
 * An AOF that starts with an RDB preamble: the loader loads the RDB whole, then the RESP tail
 * with the usual truncation rules; check-aof checks the RDB part whole, then the tail; a damaged
 * preamble is refused by both.
 */
class AofPreambleTest {
    @TempDir
    Path dir;

    private static byte[] preamble(Database[] dbs) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdbWriter.write(dbs, Channels.newChannel(out), new RdbWriter.Options(true, true, 0), true);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    private EngineFixture load(Path file, boolean aofLoadTruncated, AofLoader.Status expected) {
        ServerConfig cfg = new ServerConfig();
        cfg.aofLoadTruncated = aofLoadTruncated;
        EngineFixture fx = new EngineFixture(cfg);
        Client fake = new Client(0, "aof-loader");
        fx.engine.loading = true;
        AofLoader.Result r = new AofLoader(cfg, Log.toStdout(), fx.engine.dbs, argv -> fx.dispatcher.replay(fake, argv), () -> { })
                .load(file);
        fx.engine.loading = false;
        assertThat(r.status()).isEqualTo(expected);
        return fx;
    }

    @Test
    void preambleThenTailLoadAndCheck() throws Exception {
        Database[] dbs = Datasets.random(new SplittableRandom(5), 16, 200);
        byte[] rdb = preamble(dbs);
        byte[] tail = concat(Aof.resp("SELECT", "3"), Aof.resp("RPUSH", "tail-list", "x", "y"), Aof.resp("SELECT", "0"),
                Aof.resp("SET", "tail", "1"));
        Path file = dir.resolve("appendonly.aof");
        Files.write(file, concat(rdb, tail));

        EngineFixture fx = load(file, true, AofLoader.Status.OK);
        assertThat(new String((byte[]) fx.engine.dbs[0].get(Key.of("tail".getBytes())), StandardCharsets.UTF_8)).isEqualTo("1");
        assertThat(fx.engine.dbs[3].get(Key.of("tail-list".getBytes())).toString()).isEqualTo("[x, y]");
        fx.engine.dbs[0].remove(Key.of("tail".getBytes()));
        fx.engine.dbs[3].remove(Key.of("tail-list".getBytes()));
        Datasets.assertSame(fx.engine.dbs, dbs);

        AofCheckTest.Run ok = AofCheckTest.check("", file.toString());
        assertThat(ok.status()).as(ok.out()).isZero();
        assertThat(ok.out()).contains("RDB preamble is OK, proceeding with AOF tail").contains("is valid");
    }

    @Test
    void aTruncatedTailIsCutAfterThePreamble() throws Exception {
        byte[] rdb = preamble(Datasets.random(new SplittableRandom(6), 16, 20));
        byte[] whole = Aof.resp("SET", "a", "1");
        Path file = dir.resolve("appendonly.aof");
        Files.write(file, concat(rdb, whole, Arrays.copyOf(Aof.resp("SET", "b", "2"), 10)));

        AofCheckTest.Run bad = AofCheckTest.check("", file.toString());
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.out()).contains("ok_up_to=" + (rdb.length + whole.length));

        load(file, true, AofLoader.Status.TRUNCATED);
        assertThat(Files.size(file)).isEqualTo(rdb.length + whole.length);
    }

    @Test
    void aDamagedPreambleIsRefusedWhole() throws Exception {
        byte[] rdb = preamble(Datasets.random(new SplittableRandom(7), 16, 50));
        rdb[rdb.length - 3] ^= 0x55; // the checksum
        Path file = dir.resolve("appendonly.aof");
        Files.write(file, concat(rdb, Aof.resp("SET", "a", "1")));

        AofCheckTest.Run bad = AofCheckTest.check("", file.toString());
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.out()).contains("RDB preamble of AOF file is not sane, aborting.");
        load(file, true, AofLoader.Status.FAILED);
    }
}
