package lossmeter.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import lossmeter.faults.lossyfs.IoOp;

/** Files are sorted into the families a crash point is aimed at; only operations seen on a family count. */
class AimTest {
    @Test
    void familiesMostSpecificFirst() {
        assertThat(Aim.familyOf("/appendonlydir/appendonly.aof.1.incr.aof")).isEqualTo("appendonlydir/*");
        assertThat(Aim.familyOf("/appendonly.aof")).isEqualTo("appendonly.aof*");
        assertThat(Aim.familyOf("/temp-rewriteaof-12.aof")).isEqualTo("temp-*");
        assertThat(Aim.familyOf("/dump.rdb")).isEqualTo("*.rdb");
        assertThat(Aim.familyOf("/redis.log")).isNull();
        assertThat(Aim.familyOf("/")).isNull();
    }

    @Test
    void seenOnMatchesTheOperationAndEitherNameOfARename() {
        Map<String, Long> seen = Map.of("write:/appendonly.aof", 4L, "rename:/temp-rewriteaof-1.aof -> /appendonly.aof", 1L);
        assertThat(Aim.seenOn(seen, IoOp.WRITE, "appendonly.aof*")).isTrue();
        assertThat(Aim.seenOn(seen, IoOp.FDATASYNC, "appendonly.aof*")).isFalse();
        assertThat(Aim.seenOn(seen, IoOp.RENAME, "temp-*")).isTrue();
        assertThat(Aim.seenOn(seen, IoOp.RENAME, "appendonly.aof*")).isTrue();
        assertThat(Aim.seenOn(seen, IoOp.WRITE, "*.rdb")).isFalse();
    }

    @Test
    void countsFromALongerWatchAreScaledToOneObservation() {
        long observe = Aim.OBSERVE.toNanos();
        assertThat(Aim.perObservation(7, observe)).as("watched exactly one observation").isEqualTo(7);
        assertThat(Aim.perObservation(7, observe / 2)).as("a shorter watch is not scaled up").isEqualTo(7);
        assertThat(Aim.perObservation(30, 3 * observe)).isEqualTo(10);
        assertThat(Aim.perObservation(31, 3 * observe)).as("rounded up").isEqualTo(11);
        assertThat(Aim.perObservation(1, 10 * observe)).as("an operation seen once stays on the menu").isEqualTo(1);
        assertThat(Aim.perObservation(0, 10 * observe)).isZero();
    }

    @Test
    void crashPointsDescribeThemselves() {
        CrashPoint p = CrashPoint.armed(IoOp.Phase.BEFORE, IoOp.FDATASYNC, 3, "appendonly.aof*", "hold");
        assertThat(p.describe()).isEqualTo("before fdatasync #3 of appendonly.aof* (not reached)");
        assertThat(p.reachedAt("/appendonly.aof", -1, -1).describe()).isEqualTo("before fdatasync #3 of appendonly.aof* at /appendonly.aof");
        assertThat(CrashPoint.time().toMap()).containsEntry("mode", "time");
        assertThat(p.toMap()).containsEntry("op", "fdatasync").containsEntry("n", 3L).containsEntry("reached", false);
    }
}
