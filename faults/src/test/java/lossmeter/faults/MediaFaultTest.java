package lossmeter.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaFaultTest {
    private static final String AOF = "*2\r\n$4\r\nINCR\r\n$2\r\nc1\r\n".repeat(200);

    @TempDir
    Path dir;

    @Test
    void truncateKillsThenCutsTheSingleFileShorter() throws IOException {
        Path aof = Files.writeString(dir.resolve("appendonly.aof"), AOF);
        FakeTrial trial = new FakeTrial(dir, 3, Duration.ofSeconds(1));
        Fault f = Faults.truncate().create();
        f.inject(trial);
        assertThat(trial.target.calls).containsExactly("markCrash", "kill");
        f.afterDeath(trial);
        assertThat(Files.size(aof)).isLessThan(AOF.length());
        assertThat(Files.readString(aof)).isEqualTo(AOF.substring(0, (int) Files.size(aof)));
        assertThat(trial.notes).last().asString().contains("cut appendonly.aof from " + AOF.length() + " to " + Files.size(aof));
    }

    @Test
    void mediaFaultsChooseAmongRedis7sDataFilesBySeed() throws IOException {
        Path d = Files.createDirectories(dir.resolve("appendonlydir"));
        Files.writeString(d.resolve("appendonly.aof.manifest"), """
                file appendonly.aof.1.base.rdb seq 1 type b
                file appendonly.aof.1.incr.aof seq 1 type i
                """);
        Files.writeString(d.resolve("appendonly.aof.1.base.rdb"), "REDIS0010" + "x".repeat(80));
        Files.writeString(d.resolve("appendonly.aof.1.incr.aof"), AOF);
        assertThat(MediaFault.dataFiles(new lossmeter.faults.node.FakeNode(), dir)).extracting(p -> p.getFileName().toString())
                .containsExactly("appendonly.aof.1.base.rdb", "appendonly.aof.1.incr.aof");
        java.util.Set<String> hit = new java.util.TreeSet<>();
        for (long seed = 0; seed < 20; seed++) {
            Files.writeString(d.resolve("appendonly.aof.1.base.rdb"), "REDIS0010" + "x".repeat(80));
            Files.writeString(d.resolve("appendonly.aof.1.incr.aof"), AOF);
            FakeTrial trial = new FakeTrial(dir, seed, Duration.ofSeconds(1));
            Faults.corrupt().create().afterDeath(trial);
            hit.add(trial.notes.getLast().split(":")[1].strip());
        }
        assertThat(hit).containsExactly("appendonly.aof.1.base.rdb", "appendonly.aof.1.incr.aof");
    }

    @Test
    void anEmptyDataDirIsNotedNotDamaged() {
        FakeTrial trial = new FakeTrial(dir, 1, Duration.ofSeconds(1));
        Faults.corrupt().create().afterDeath(trial);
        assertThat(trial.notes).singleElement().asString().contains("no non-empty data file");
    }

    @Test
    void corruptionOfARespLogHitsFramingOrZeroesABlock() {
        for (long seed = 0; seed < 200; seed++) {
            byte[] bytes = AOF.getBytes(StandardCharsets.US_ASCII);
            String what = CorruptFault.corrupt(bytes, new SplittableRandom(seed));
            int diff = firstDifference(bytes, AOF.getBytes(StandardCharsets.US_ASCII));
            assertThat(diff).as(what).isNotNegative();
            if (what.startsWith("flipped")) {
                assertThat(AOF.charAt(diff)).as(what).isIn('*', '$');
                assertThat(diff == 0 || AOF.charAt(diff - 1) == '\n').as(what).isTrue();
            } else {
                assertThat(what).startsWith("zeroed");
                int len = Integer.parseInt(what.split(" ")[1]);
                assertThat(len).isBetween(CorruptFault.MIN_BLOCK, CorruptFault.MAX_BLOCK);
                assertThat(Arrays.copyOfRange(bytes, diff, diff + 1)).containsOnly((byte) 0);
            }
        }
    }

    private static int firstDifference(byte[] a, byte[] b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) return i;
        }
        return -1;
    }
}
