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
    void crashPointsDescribeThemselves() {
        CrashPoint p = CrashPoint.armed(IoOp.Phase.BEFORE, IoOp.FDATASYNC, 3, "appendonly.aof*", "hold");
        assertThat(p.describe()).isEqualTo("before fdatasync #3 of appendonly.aof* (not reached)");
        assertThat(p.reachedAt("/appendonly.aof", -1, -1).describe()).isEqualTo("before fdatasync #3 of appendonly.aof* at /appendonly.aof");
        assertThat(CrashPoint.time().toMap()).containsEntry("mode", "time");
        assertThat(p.toMap()).containsEntry("op", "fdatasync").containsEntry("n", 3L).containsEntry("reached", false);
    }
}
