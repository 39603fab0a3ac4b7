package lossmeter.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;


class BgsaveCrashFaultTest {
    @Test
    void asksForAnRdbOnlyTargetInPrepare() {
        FakeTrial trial = new FakeTrial(Path.of("/nonexistent"), 1, Duration.ofSeconds(1));
        Faults.crashDuringBgsave().create().prepare(trial);
        assertThat(trial.directives).containsEntry("appendonly", "no").containsEntry("save", BgsaveCrashFault.SAVE_POINT);
    }
}
