package lossmeter.harness.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StateReaderTest {
    @Test
    void countersAreLongsAndAnythingElseStaysAString() {
        assertThat(StateReader.parse("42")).isEqualTo(42L);
        assertThat(StateReader.parse("-3")).isEqualTo(-3L);
        assertThat(StateReader.parse("4\u00002")).isEqualTo("4\u00002");
        assertThat(StateReader.parse("")).isEqualTo("");
        assertThat(StateReader.parse("99999999999999999999")).isEqualTo("99999999999999999999");
    }
}
