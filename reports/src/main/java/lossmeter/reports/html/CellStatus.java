package lossmeter.reports.html;

import java.util.List;

import lossmeter.reports.model.Cell;
import lossmeter.reports.model.Trial;

/**
 * How a cell is labelled, read off what results.json says about it (violations, unavailable,
 * overGate, the trials' verdicts); nothing is judged here. Each label pairs a symbol and a word
 * with its colour class.
 */
record CellStatus(String symbol, String word, String cssClass) {
    static CellStatus of(Cell c, List<String> overGate, List<Trial> trials) {
        if (c.violations() > 0) return new CellStatus("✖", "VIOLATION", "bad");
        if (c.unavailable() > 0) return new CellStatus("⊘", "UNAVAILABLE", "bad");
        if (overGate.contains(c.key())) return new CellStatus("▲", "OVER GATE", "bad");
        // A fault that changed nothing says nothing about the target: never a pass colour.
        if (c.withoutEffect()) return new CellStatus("∅", "NO EFFECT", "unknown");
        if (trials.stream().anyMatch(t -> "INDETERMINATE".equals(t.verdictName()))) return new CellStatus("?", "INDETERMINATE", "unknown");
        if (c.lostAcked() > 0) return new CellStatus("◐", "LOSS WITHIN POLICY", "warn");
        return new CellStatus("✔", "OK", "good");
    }

    String html() {
        return "<span class=\"status " + cssClass + "\">" + symbol + " " + word + "</span>";
    }
}
