package lossmeter.server.resp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A bounded reply buffer never takes more than its cap or its share of the budget; an unbounded one never drops. */
class ReplyBufferBoundTest {
    private static final byte[] KB = new byte[1024];

    @Test
    void growthPastTheCapDropsTheRepliesAndEveryLaterAppend() {
        ReplyBuffer b = new ReplyBuffer(1024);
        b.bound(64 * 1024, BufferBudget.unlimited());
        for (int i = 0; i < 63; i++) b.bulk(KB);
        assertThat(b.overflowed()).isFalse();
        assertThat(b.length()).isGreaterThan(63 * 1024);
        b.bulk(KB);
        b.bulk(KB);
        assertThat(b.overflowed()).isTrue();
        assertThat(b.length()).isZero();
        assertThat(b.lengthAtOverflow()).isGreaterThan(64 * 1024);
        b.simple("OK").integer(12345).error("x").bulk("y");
        assertThat(b.length()).isZero();
        assertThat(b.capacity()).isLessThanOrEqualTo(1024);
    }

    @Test
    void buffersShareTheBudgetAndGiveItBack() {
        BufferBudget budget = new BufferBudget(100 * 1024);
        ReplyBuffer a = new ReplyBuffer(1024);
        ReplyBuffer b = new ReplyBuffer(1024);
        a.bound(1 << 20, budget);
        b.bound(1 << 20, budget);
        for (int i = 0; i < 40; i++) a.raw(KB);
        assertThat(a.overflowed()).isFalse();
        long afterA = budget.used();
        assertThat(afterA).isGreaterThanOrEqualTo(40 * 1024).isLessThanOrEqualTo(100 * 1024);
        for (int i = 0; i < 80 && !b.overflowed(); i++) b.raw(KB);
        assertThat(b.overflowed()).as("the budget ran out before b's own cap").isTrue();
        assertThat(budget.used()).isLessThanOrEqualTo(budget.max());
        a.release();
        b.release();
        assertThat(budget.used()).isZero();
    }

    @Test
    void drainingABigReplyReturnsItsMemory() {
        BufferBudget budget = new BufferBudget(8L << 20);
        ReplyBuffer b = new ReplyBuffer(1024);
        b.bound(8L << 20, budget);
        b.raw(new byte[3 << 20]);
        assertThat(budget.used()).isGreaterThanOrEqualTo(3 << 20);
        b.consume(b.length());
        assertThat(budget.used()).isLessThanOrEqualTo(16 * 1024);
    }

    @Test
    void retractingAfterAnOverflowStaysEmpty() {
        ReplyBuffer b = new ReplyBuffer(1024);
        b.bound(4096, BufferBudget.unlimited());
        b.simple("QUEUED");
        int mark = b.length();
        b.raw(new byte[8192]);
        b.truncate(mark);
        assertThat(b.length()).isZero();
    }

    @Test
    void anUnboundedBufferKeepsEverything() {
        ReplyBuffer b = new ReplyBuffer(16);
        for (int i = 0; i < 4096; i++) b.raw(KB);
        assertThat(b.overflowed()).isFalse();
        assertThat(b.length()).isEqualTo(4096 * 1024);
    }
}
