package lossmeter.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import lossmeter.server.command.Client;
import lossmeter.server.config.OutputBufferLimits.Limit;
import lossmeter.server.resp.BufferBudget;

/** Redis's hard and soft output limits, and the heap-derived cap on top of them. */
class OutputLimitTest {
    private static Connection connection() {
        Client client = new Client(1, "127.0.0.1:1");
        client.out.bound(1 << 20, BufferBudget.unlimited());
        return new Connection(null, null, client, 1 << 20, BufferBudget.unlimited());
    }

    @Test
    void hardLimitClosesAtOnce() {
        Connection c = connection();
        Limit hard = new Limit(1000, 0, 0);
        c.client.out.raw(new byte[999]);
        assertThat(OutputLimit.reached(c, hard, 0)).isFalse();
        c.client.out.raw(new byte[1]);
        assertThat(OutputLimit.reached(c, hard, 0)).isTrue();
    }

    @Test
    void softLimitClosesOnlyAfterStayingOverForItsSeconds() {
        Connection c = connection();
        Limit soft = new Limit(0, 100, 2);
        c.client.out.raw(new byte[150]);
        assertThat(OutputLimit.reached(c, soft, 10_000)).as("first seen over: the clock starts").isFalse();
        assertThat(OutputLimit.reached(c, soft, 12_000)).as("exactly the seconds: not yet").isFalse();
        c.client.out.consume(100); // the client read some: under the soft limit again
        assertThat(OutputLimit.reached(c, soft, 12_500)).isFalse();
        c.client.out.raw(new byte[100]);
        assertThat(OutputLimit.reached(c, soft, 13_000)).as("the clock restarted").isFalse();
        assertThat(OutputLimit.reached(c, soft, 15_001)).isTrue();
    }

    @Test
    void noLimitsMeansOnlyTheHeapCapCloses() {
        Connection c = connection();
        assertThat(OutputLimit.reached(c, Limit.NONE, 0)).isFalse();
        for (int i = 0; i < 600; i++) c.client.out.raw(new byte[1024]);
        assertThat(OutputLimit.reached(c, Limit.NONE, 0)).isFalse();
        for (int i = 0; i < 600; i++) c.client.out.raw(new byte[1024]);
        assertThat(c.client.out.overflowed()).isTrue();
        assertThat(OutputLimit.reached(c, Limit.NONE, 0)).isTrue();
    }

    @Test
    void heapCapsAreFractionsOfTheHeapWithAFloor() {
        HeapCaps caps = new HeapCaps(128L << 20);
        assertThat(caps.perClient).isEqualTo(16L << 20);
        assertThat(caps.budget.max()).isEqualTo(32L << 20);
        assertThat(caps.queryLimit(1L << 30)).isEqualTo(16L << 20);
        assertThat(caps.queryLimit(2L << 20)).isEqualTo(2L << 20);
        assertThat(new HeapCaps(1L << 20).perClient).isEqualTo(HeapCaps.MIN_PER_CLIENT);
    }

    @Test
    void queryBufferReprIsRedisStyle() {
        byte[] b = "*1\r\n$4\r\n\"a\\\u0001".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(ClosingReason.repr(b, b.length)).isEqualTo("\"*1\\r\\n$4\\r\\n\\\"a\\\\\\x01\"");
    }
}
