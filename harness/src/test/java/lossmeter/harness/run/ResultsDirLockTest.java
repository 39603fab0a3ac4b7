package lossmeter.harness.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsDirLockTest {
    @TempDir
    Path dir;

    @Test
    void oneHolderAtATimeAndTheRefusalNamesIt() throws Exception {
        Path out = dir.resolve("out");
        long me = ProcessHandle.current().pid();
        try (ResultsDirLock lock = ResultsDirLock.acquire(out)) {
            assertThat(lock.previousHolder()).isNull();
            assertThat(Files.readString(out.resolve(ResultsDirLock.FILE))).isEqualTo("pid " + me + "\n");
            assertThatThrownBy(() -> ResultsDirLock.acquire(out)).isInstanceOf(ResultsDirLock.BusyException.class)
                    .hasMessageContaining("is in use by another lossmeter run (pid " + me + ")");
        }
        // Released with its holder: the next one gets it and learns who was there before.
        try (ResultsDirLock again = ResultsDirLock.acquire(out)) {
            assertThat(again.previousHolder()).isEqualTo("pid " + me);
        }
    }

    @Test
    void aLockFileLeftByAKilledRunDoesNotHoldTheDir() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve(ResultsDirLock.FILE), "pid 999999999\n");
        try (ResultsDirLock lock = ResultsDirLock.acquire(out)) {
            assertThat(lock.previousHolder()).isEqualTo("pid 999999999");
        }
    }
}
