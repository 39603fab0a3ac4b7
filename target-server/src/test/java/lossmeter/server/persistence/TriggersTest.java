package lossmeter.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import lossmeter.server.config.SavePoint;

/** The cron's rules for saving by itself: save points, automatic rewrites, their back-off. */
class TriggersTest {
    private static final List<SavePoint> DEFAULTS = List.of(new SavePoint(3600, 1), new SavePoint(300, 100), new SavePoint(60, 10000));
    private static final long NOW = 1_000_000_000_000L;
    private static final long LAST_SAVE = NOW / 1000;

    @Test
    void aSavePointNeedsBothItsChangesAndMoreThanItsSeconds() {
        assertThat(Triggers.duePoint(DEFAULTS, 10_000, NOW + 60_000, LAST_SAVE, true, 0)).isNull();
        assertThat(Triggers.duePoint(DEFAULTS, 10_000, NOW + 61_000, LAST_SAVE, true, 0)).isEqualTo(new SavePoint(60, 10000));
        assertThat(Triggers.duePoint(DEFAULTS, 99, NOW + 301_000, LAST_SAVE, true, 0)).isNull();
        assertThat(Triggers.duePoint(DEFAULTS, 1, NOW + 3_601_000, LAST_SAVE, true, 0)).isEqualTo(new SavePoint(3600, 1));
        assertThat(Triggers.duePoint(List.of(), 1_000_000, NOW + 10_000_000, LAST_SAVE, true, 0)).isNull();
    }

    @Test
    void afterAFailedBgsaveSavePointsWaitTheRetryDelay() {
        long tried = NOW + 100_000;
        assertThat(Triggers.duePoint(DEFAULTS, 10_000, tried + 5_000, LAST_SAVE, false, tried)).isNull();
        assertThat(Triggers.duePoint(DEFAULTS, 10_000, tried + 5_001, LAST_SAVE, false, tried)).isNotNull();
    }

    @Test
    void anAutomaticRewriteNeedsTheMinimumSizeAndTheGrowth() {
        long mb = 1024 * 1024;
        assertThat(Triggers.rewriteGrowth(64 * mb, 0, 64 * mb, 100)).as("not above the minimum").isEqualTo(-1);
        assertThat(Triggers.rewriteGrowth(64 * mb + 1, 0, 64 * mb, 100)).as("a new file counts as 1 byte").isPositive();
        assertThat(Triggers.rewriteGrowth(199 * mb, 100 * mb, 64 * mb, 100)).isEqualTo(-1);
        assertThat(Triggers.rewriteGrowth(200 * mb, 100 * mb, 64 * mb, 100)).isEqualTo(100);
        assertThat(Triggers.rewriteGrowth(500 * mb, 100 * mb, 64 * mb, 0)).as("percentage 0 turns it off").isEqualTo(-1);
    }

    @Test
    void repeatedRewriteFailuresBackOffUpToAnHour() {
        assertThat(Triggers.rewriteLimited(2, NOW, NOW + 1)).isFalse();
        assertThat(Triggers.rewriteLimited(3, NOW, NOW + 59_999)).isTrue();
        assertThat(Triggers.rewriteLimited(3, NOW, NOW + 60_000)).isFalse();
        assertThat(Triggers.rewriteLimited(4, NOW, NOW + 119_999)).isTrue();
        assertThat(Triggers.rewriteLimited(50, NOW, NOW + 3_599_999)).isTrue();
        assertThat(Triggers.rewriteLimited(50, NOW, NOW + 3_600_000)).isFalse();
    }
}
