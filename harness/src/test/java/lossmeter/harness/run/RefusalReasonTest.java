package lossmeter.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RefusalReasonTest {
    @Test
    void takesTheWarningLinesOfARedisLog() {
        String log = """
                123:C 21 Nov 2026 13:00:00.000 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo
                123:M 21 Nov 2026 13:00:00.009 # WARNING Memory overcommit must be enabled!
                123:M 21 Nov 2026 13:00:00.009 # Server initialized
                123:M 21 Nov 2026 13:00:00.010 * Reading RDB base file on AOF loading...
                123:M 21 Nov 2026 13:00:00.011 # Bad file format reading the append only file appendonly.aof.1.incr.aof: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>
                """;
        assertThat(RefusalReason.from(log)).isEqualTo("Bad file format reading the append only file appendonly.aof.1.incr.aof: "
                + "make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>");
    }

    @Test
    void fallsBackToTheLastLine() {
        assertThat(RefusalReason.from("starting\nException in thread main: boom\n")).isEqualTo("Exception in thread main: boom");
        assertThat(RefusalReason.from("")).isEqualTo("its log is empty");
    }
}
