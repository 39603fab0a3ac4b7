package lossmeter.reports.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import lossmeter.reports.model.Cell;
import lossmeter.reports.model.Comparison;
import lossmeter.reports.model.Comparison.CellComparison;
import lossmeter.reports.model.Results;

class CompareTest {
    private static Results results(Cell... cells) {
        return new Results("PASS", 1L, "bundled", null, List.of(cells), null, null, null, null, null, null, null, null, null);
    }

    private static Cell cell(String fault, long window, int unavailable, Map<String, Integer> anomalies) {
        return new Cell("everysec", fault, 1, 2, 100, 0, window, 0, unavailable, anomalies);
    }

    private static Comparison compare(long baseWindow, long newWindow) {
        return Compare.of("b", results(cell("kill", baseWindow, 0, Map.of())), results(cell("kill", newWindow, 0, Map.of())), 20, 100);
    }

    @Test
    void windowAtExactlyTheToleranceStillPassesOneMsMoreRegresses() {
        // 1000 × 1.2 + 100 = 1300
        assertThat(compare(1000, 1300).regressed()).isFalse();
        assertThat(compare(1000, 1301).regressed()).isTrue();
        assertThat(compare(1000, 1301).cells().get(0).allowedMaxWindowMs()).isEqualTo(1300);
        assertThat(compare(1000, 1301).cells().get(0).reason()).contains("1000 ms → 1301 ms");
    }

    @Test
    void fromZeroTheAbsoluteToleranceDecides() {
        assertThat(compare(0, 100).regressed()).isFalse();
        assertThat(compare(0, 101).regressed()).isTrue();
    }

    @Test
    void shrinkingOrEqualIsFine() {
        assertThat(compare(500, 0).regressed()).isFalse();
        assertThat(compare(500, 500).cells().get(0).status()).isEqualTo(CellComparison.SAME);
    }

    @Test
    void toleranceFlagsChangeTheEdge() {
        Results base = results(cell("kill", 1000, 0, Map.of()));
        Results now = results(cell("kill", 1000, 0, Map.of()));
        assertThat(Compare.of("b", base, now, 0, 0).regressed()).isFalse();
        Results more = results(cell("kill", 1001, 0, Map.of()));
        assertThat(Compare.of("b", base, more, 0, 0).regressed()).isTrue();
        assertThat(Compare.of("b", base, more, 0.1, 0).regressed()).isFalse();
        assertThatThrownBy(() -> Compare.of("b", base, more, -1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aGainedAnomalyKindRegressesAKindAlreadyThereDoesNot() {
        Results base = results(cell("kill", 0, 0, Map.of("HOLE", 2, "PHANTOM", 0)));
        Results same = results(cell("kill", 0, 0, Map.of("HOLE", 9)));
        Results gained = results(cell("kill", 0, 0, Map.of("HOLE", 1, "PHANTOM", 1)));
        assertThat(Compare.of("b", base, same, 20, 100).regressed()).isFalse();
        Comparison c = Compare.of("b", base, gained, 20, 100);
        assertThat(c.regressed()).isTrue();
        assertThat(c.regressions().get(0).gainedKinds()).containsExactly("PHANTOM");
    }

    @Test
    void becomingUnavailableIsAGainedKind() {
        Comparison c = Compare.of("b", results(cell("kill", 0, 0, Map.of())), results(cell("kill", 0, 1, Map.of())), 20, 100);
        assertThat(c.regressions().get(0).gainedKinds()).containsExactly(Compare.UNAVAILABLE);
    }

    @Test
    void cellsOnOneSideOnlyAreListedNotJudged() {
        Comparison c = Compare.of("b", results(cell("kill", 0, 0, Map.of())), results(cell("restart", 5000, 0, Map.of("HOLE", 1))), 20, 100);
        assertThat(c.regressed()).isFalse();
        assertThat(c.cells()).extracting(CellComparison::status).containsExactly(CellComparison.NEW, CellComparison.MISSING);
    }
}
