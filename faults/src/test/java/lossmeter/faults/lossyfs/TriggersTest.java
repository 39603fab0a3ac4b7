package lossmeter.faults.lossyfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crash points: counting, firing at the Nth matching operation, holding, discarding, stalling, and the switch actions. */
class TriggersTest {
    @TempDir
    Path tmp;

    /** One write through the triggers, as LossyFuse does it. */
    private static int write(Triggers t, LossyModel m, long fh, String path, long offset) throws FsException {
        byte[] data = "0123456789".getBytes();
        Triggers.Ticket ticket = t.before(IoOp.WRITE, path, null, offset, data.length);
        int n = -1;
        try {
            n = m.write(fh, offset, ByteBuffer.wrap(data), data.length);
            return n;
        } finally {
            t.after(ticket, n);
        }
    }

    @Test
    void countsOperationsPerKindAndFile() throws Exception {
        LossyModel m = new LossyModel(Files.createDirectories(tmp.resolve("b")), MetadataMode.STRICT, 512);
        Triggers t = new Triggers(m);
        long fh = m.create("/appendonly.aof", 0644);
        for (int i = 0; i < 3; i++) write(t, m, fh, "/appendonly.aof", i * 10L);
        t.after(t.before(IoOp.FDATASYNC, "/appendonly.aof", null, -1, -1), 0);
        assertThat(t.counts()).containsEntry("write:/appendonly.aof", 3L).containsEntry("fdatasync:/appendonly.aof", 1L);
        t.resetCounts();
        assertThat(t.counts()).isEmpty();
    }

    @Test
    void holdsTheNthMatchingWriteAfterItTookEffectUntilReleased() throws Exception {
        LossyModel m = new LossyModel(Files.createDirectories(tmp.resolve("b")), MetadataMode.STRICT, 512);
        Triggers t = new Triggers(m);
        long other = m.create("/dump.rdb", 0644);
        long fh = m.create("/appendonly.aof", 0644);
        t.arm(IoOp.Phase.AFTER, IoOp.WRITE, 2, "appendonly.aof*", Triggers.Action.HOLD, 0);
        write(t, m, other, "/dump.rdb", 0); // another file: not counted
        write(t, m, fh, "/appendonly.aof", 0);
        CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> {
            try {
                return write(t, m, fh, "/appendonly.aof", 10);
            } catch (FsException e) {
                return -e.errno;
            }
        });
        Triggers.Hit hit = t.await(10_000);
        assertThat(hit).isNotNull();
        assertThat(hit.path()).isEqualTo("/appendonly.aof");
        assertThat(hit.offset()).isEqualTo(10);
        assertThat(hit.bytes()).isEqualTo(10);
        assertThat(t.holding()).isTrue();
        assertThat(second).isNotDone();
        assertThat(m.report().files()).containsEntry("/appendonly.aof", 20L); // AFTER: it took effect
        assertThat(t.release(true)).isTrue();
        assertThat(second.get()).as("an AFTER hold returns the operation's own result").isEqualTo(10);
    }

    @Test
    void aDiscardedBeforeHoldNeverTakesEffect() throws Exception {
        LossyModel m = new LossyModel(Files.createDirectories(tmp.resolve("b")), MetadataMode.STRICT, 512);
        Triggers t = new Triggers(m);
        long fh = m.create("/appendonly.aof", 0644);
        t.arm(IoOp.Phase.BEFORE, IoOp.WRITE, 1, "*.aof", Triggers.Action.HOLD, 0);
        CompletableFuture<Integer> held = CompletableFuture.supplyAsync(() -> {
            try {
                return write(t, m, fh, "/appendonly.aof", 0);
            } catch (FsException e) {
                return -e.errno;
            }
        });
        assertThat(t.await(10_000)).isNotNull();
        t.release(true);
        assertThat(held.get()).isEqualTo(-FsException.EIO);
        assertThat(m.report().total()).isZero();
    }

    @Test
    void aDelayStallsTheCallThenLetsItGo() throws Exception {
        LossyModel m = new LossyModel(Files.createDirectories(tmp.resolve("b")), MetadataMode.STRICT, 512);
        Triggers t = new Triggers(m);
        t.arm(IoOp.Phase.BEFORE, IoOp.FDATASYNC, 1, "*", Triggers.Action.DELAY, 300);
        long start = System.nanoTime();
        CompletableFuture<Void> sync = CompletableFuture.runAsync(() -> {
            try {
                t.after(t.before(IoOp.FDATASYNC, "/a", null, -1, -1), 0);
            } catch (FsException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(t.await(10_000)).isNotNull();
        await().atMost(Duration.ofSeconds(10)).until(sync::isDone);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(290).toNanos());
        assertThat(t.delayedOps()).isEqualTo(1);
    }

    @Test
    void switchActionsStartTheConditionAtTheOperation() throws Exception {
        LossyModel m = new LossyModel(Files.createDirectories(tmp.resolve("b")), MetadataMode.STRICT, 512);
        Triggers t = new Triggers(m);
        long fh = m.create("/appendonly.aof", 0644);
        t.arm(IoOp.Phase.AFTER, IoOp.WRITE, 2, "*", Triggers.Action.ENOSPC, 0);
        write(t, m, fh, "/appendonly.aof", 0);
        assertThatThrownBy(() -> write(t, m, fh, "/appendonly.aof", 10)).isInstanceOf(FsException.class)
                .satisfies(e -> assertThat(((FsException) e).errno).isEqualTo(FsException.ENOSPC));
        assertThat(m.errors().enospc()).isEqualTo(1);
        t.arm(IoOp.Phase.BEFORE, IoOp.FSYNC, 1, "*", Triggers.Action.EIO, 0);
        t.before(IoOp.FSYNC, "/appendonly.aof", null, -1, -1);
        assertThat(m.fsyncEio()).isEqualTo(FsyncEio.ON);
    }

    @Test
    void theControlProtocolArmsAwaitsAndReportsStats() {
        LossyModel m;
        try {
            m = new LossyModel(Files.createDirectories(tmp.resolve("c")), MetadataMode.STRICT, 512);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        ControlCommands c = new ControlCommands(m, new Triggers(m));
        assertThat(c.execute("arm after rename 1 temp-* hold")).startsWith("ok armed phase=after op=rename n=1");
        assertThat(c.execute("await 10")).startsWith("ok pending seen=0");
        assertThat(c.execute("arm sideways write 1 *")).startsWith("err phase must be before or after");
        assertThat(c.execute("arm before chmod 1 *")).startsWith("err unknown operation 'chmod'");
        assertThat(c.execute("arm before write 0 *")).startsWith("err N must be >= 1");
        assertThat(c.execute("arm before write 1 * eio")).startsWith("err eio applies to fsync");
        assertThat(c.execute("arm before write 1 * delay")).startsWith("err usage: arm");
        assertThat(c.execute("stats")).isEqualTo("ok enospc-errors=0 eio-errors=0 delayed-ops=0 delay-ms=0 held=false");
        assertThat(c.execute("release")).isEqualTo("ok released held=false");
        assertThat(c.execute("ops")).isEqualTo("ok ops=0");
        assertThat(c.execute("disarm")).isEqualTo("ok disarmed held=false");
    }
}
