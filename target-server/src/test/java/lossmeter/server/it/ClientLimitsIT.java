package lossmeter.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import redis.clients.jedis.Jedis;

/**
 * One client must not be able to take the server down or hog it: a reader that never reads its
 * replies, a request bigger than the query buffer limit, one connection too many. Each time that
 * client is closed (and logged, in Redis's words) while another client keeps being served. The
 * server runs with a small heap, so without the limits the slow reader would end in an
 * OutOfMemoryError within seconds.
 */
@Tag("integration")
class ClientLimitsIT {
    private static final int VALUE_BYTES = 1 << 20;
    private static final String OUTPUT_LIMIT_LINE = "closed for overcoming of output buffer limits.";
    private static final String QUERY_LIMIT_LINE = "Closing client that reached max query buffer length: id=";

    private static final ExecutorService THREADS = Executors.newVirtualThreadPerTaskExecutor();

    @TempDir
    Path dir;

    @Test
    void aReaderThatNeverReadsIsClosedAndTheOthersAreServed() throws Exception {
        try (ServerProcess s = ServerProcess.in(dir).jvmOption("-Xmx128m").start(); Jedis j = s.jedis()) {
            byte[] value = new byte[VALUE_BYTES];
            Arrays.fill(value, (byte) 'v');
            j.set("big".getBytes(StandardCharsets.US_ASCII), value);

            // Redis's default for normal clients is no limit at all: the heap-derived caps close them,
            // three at once (each alone may hold 1/8 of the heap, all together 1/4).
            List<Future<Boolean>> readers = new ArrayList<>();
            for (int i = 0; i < 3; i++) readers.add(THREADS.submit(() -> pipelineGetsWithoutReading(s.port())));
            for (Future<Boolean> r : readers) assertThat(r.get(90, TimeUnit.SECONDS)).as("a slow reader was disconnected").isTrue();
            await("the output-limit log lines").atMost(Duration.ofSeconds(10)).until(() -> count(s.log(), OUTPUT_LIMIT_LINE) == 3);
            assertServing(s, j, value);

            // A configured hard limit closes it much sooner, at that limit.
            j.configSet("client-output-buffer-limit", "normal 4mb 2mb 10");
            assertThat(pipelineGetsWithoutReading(s.port())).as("the second slow reader was disconnected").isTrue();
            await("the fourth log line").atMost(Duration.ofSeconds(10)).until(() -> count(s.log(), OUTPUT_LIMIT_LINE) == 4);
            assertServing(s, j, value);
            assertThat(j.info("stats")).contains("client_output_buffer_limit_disconnections:4");
            assertThat(s.log()).doesNotContain("OutOfMemoryError").doesNotContain("Received SIGTERM");
            assertThat(s.stop()).isZero();
        }
    }

    @Test
    void aRequestOverTheQueryBufferLimitIsClosed() throws Exception {
        try (ServerProcess s = ServerProcess.in(dir).jvmOption("-Xmx128m").start(); Jedis j = s.jedis()) {
            // Within proto-max-bulk-len (512mb) and the configured 1gb, but more than a 128 MB heap lets one client hold.
            assertThat(sendBigSet(s.port(), 100_000_000, 24 << 20)).as("closed on the heap-derived cap").isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> s.log().contains(QUERY_LIMIT_LINE));
            assertThat(s.log()).contains("(qbuf initial bytes: \"$100000000\\r\\nxxxx");

            j.configSet("client-query-buffer-limit", "1mb");
            assertThat(sendBigSet(s.port(), 2_000_000, 1_500_000)).as("closed on the configured limit").isTrue();
            assertThat(j.ping()).isEqualTo("PONG");
            assertThat(j.info("stats")).contains("client_query_buffer_limit_disconnections:2");
            j.set("small", "still fine");
            assertThat(j.get("small")).isEqualTo("still fine");
            assertThat(j.exists("k")).isFalse();
            assertThat(s.stop()).isZero();
        }
    }

    @Test
    void oneConnectionOverMaxclientsIsRefused() throws Exception {
        try (ServerProcess s = ServerProcess.in(dir).directive("maxclients", "2").start();
             Jedis a = s.jedis(); Jedis b = s.jedis()) {
            assertThat(a.ping()).isEqualTo("PONG");
            assertThat(b.ping()).isEqualTo("PONG");
            try (Socket third = new Socket()) {
                third.connect(new InetSocketAddress("127.0.0.1", s.port()), 10_000);
                third.setSoTimeout(10_000);
                String reply = new String(third.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(reply).isEqualTo("-ERR max number of clients reached\r\n");
            }
            assertThat(a.info("stats")).contains("rejected_connections:1");
            b.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> a.info("clients").contains("connected_clients:1\r\n"));
            try (Jedis c = s.jedis()) {
                assertThat(c.ping()).isEqualTo("PONG");
            }
            assertThat(a.info("clients")).contains("maxclients:2").contains("client_recent_max_output_buffer:");
            assertThat(s.stop()).isZero();
        }
    }

    @Test
    void aCorruptAofExitLogsItsCauseNotASignal() throws Exception {
        Files.writeString(dir.resolve("appendonly.aof"), "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\nthis is not a command\r\n");
        try (ServerProcess s = ServerProcess.in(dir).appendonly("everysec").launch()) {
            assertThat(s.awaitExit(ServerProcess.READY_TIMEOUT)).as("exit status; log:\n%s", s.log()).isEqualTo(1);
            assertThat(s.log()).contains("Bad file format reading the append only file").doesNotContain("SIGTERM");
        }
    }

    @Test
    void aCorruptRdbExitLogsItsCauseNotASignal() throws Exception {
        Files.writeString(dir.resolve("dump.rdb"), "REDIS0010 but then nothing an RDB file should hold");
        try (ServerProcess s = ServerProcess.in(dir).launch()) {
            assertThat(s.awaitExit(ServerProcess.READY_TIMEOUT)).as("exit status; log:\n%s", s.log()).isEqualTo(1);
            assertThat(s.log()).contains("Terminating server after rdb file reading failure.").doesNotContain("SIGTERM");
        }
    }

    @Test
    void aRealSigtermStillSaysSo() throws Exception {
        try (ServerProcess s = ServerProcess.in(dir).start()) {
            s.process().destroy(); // SIGTERM
            s.awaitExit(ServerProcess.EXIT_TIMEOUT);
            assertThat(s.log()).contains("Received SIGTERM scheduling shutdown...").contains("ready to exit, bye bye");
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
        return n;
    }

    private static void assertServing(ServerProcess s, Jedis j, byte[] value) {
        assertThat(s.isAlive()).as("server alive; log:\n%s", s.log()).isTrue();
        try (Jedis other = s.jedis()) {
            assertThat(other.ping()).isEqualTo("PONG");
            assertThat(other.get("big".getBytes(StandardCharsets.US_ASCII))).isEqualTo(value);
        }
        assertThat(j.ping()).isEqualTo("PONG");
    }

    /**
     * Pipelines GETs of the 1 MB value on a socket with a tiny receive window that is never read;
     * true when the server closed it (a write or the final read fails or ends) within the time.
     */
    private static boolean pipelineGetsWithoutReading(int port) throws Exception {
        Socket sock = new Socket();
        sock.setReceiveBufferSize(4096);
        sock.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        try (sock) {
            Future<Boolean> closed = THREADS.submit(() -> {
                byte[] get = "GET big\r\n".repeat(100).getBytes(StandardCharsets.US_ASCII);
                try {
                    OutputStream out = sock.getOutputStream();
                    for (int i = 0; i < 100; i++) out.write(get); // 10,000 GETs: 10 GB of replies, unbounded
                    out.flush();
                } catch (IOException e) {
                    return true; // reset by the server
                }
                // Every GET was sent: the server must still close us (reading now shows whether it did).
                return closedByPeer(sock);
            });
            return closed.get(60, TimeUnit.SECONDS);
        }
    }

    /** Sends a SET whose value is declared {@code declared} bytes long, then {@code sent} of them; true when the server closed the socket. */
    private static boolean sendBigSet(int port, int declared, int sent) throws Exception {
        try (Socket sock = new Socket()) {
            sock.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            Future<Boolean> closed = THREADS.submit(() -> {
                try {
                    OutputStream out = sock.getOutputStream();
                    out.write(("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + declared + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = new byte[64 * 1024];
                    Arrays.fill(chunk, (byte) 'x');
                    for (int n = 0; n < sent; n += chunk.length) out.write(chunk, 0, Math.min(chunk.length, sent - n));
                    out.flush();
                } catch (IOException e) {
                    return true;
                }
                return closedByPeer(sock);
            });
            return closed.get(60, TimeUnit.SECONDS);
        }
    }

    /** Reads until the peer closes (true) or nothing happens for 20 s (false); replies are skipped. */
    private static boolean closedByPeer(Socket sock) {
        try {
            sock.setSoTimeout(20_000);
            InputStream in = sock.getInputStream();
            byte[] b = new byte[1 << 16];
            while (in.read(b) >= 0) {
                // Replies that were already on their way: keep reading until the close arrives.
            }
            return true;
        } catch (IOException e) {
            return !(e instanceof java.net.SocketTimeoutException);
        }
    }
}
