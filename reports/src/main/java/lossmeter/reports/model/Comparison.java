package lossmeter.reports.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A campaign compared with a baseline campaign ({@code comparison.json}): per cell, the anomaly kinds
 * it gained and whether its max data-loss window grew past the tolerance (new &gt; base × (1 +
 * percent/100) + ms). {@code regressed} is true when any cell did either.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Comparison(String baseline, double tolerancePercent, long toleranceMs, boolean regressed,
                         List<CellComparison> cells) {
    public Comparison {
        cells = cells == null ? List.of() : List.copyOf(cells);
    }

    public List<CellComparison> regressions() {
        return cells.stream().filter(CellComparison::regressed).toList();
    }

    /**
     * One cell in both campaigns (or in one: {@code status} NEW when the baseline lacks it, MISSING
     * when the new campaign does). {@code allowedMaxWindowMs} is the largest window the tolerance lets pass.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CellComparison(String policy, String fault, String status, Long baseMaxWindowMs, Long newMaxWindowMs,
                                 Long allowedMaxWindowMs, List<String> gainedKinds, boolean windowGrew) {
        public static final String REGRESSED = "REGRESSED";
        public static final String SAME = "OK";
        public static final String NEW = "NEW";
        public static final String MISSING = "MISSING";

        public CellComparison {
            gainedKinds = gainedKinds == null ? List.of() : List.copyOf(gainedKinds);
        }

        public boolean regressed() {
            return REGRESSED.equals(status);
        }

        public String key() {
            return policy + "-" + fault;
        }

        /** One line saying why the cell regressed, for junit.xml and the terminal. */
        public String reason() {
            StringBuilder sb = new StringBuilder();
            if (!gainedKinds.isEmpty()) sb.append("gained ").append(String.join(", ", gainedKinds));
            if (windowGrew) {
                if (!sb.isEmpty()) sb.append("; ");
                sb.append("max loss window ").append(baseMaxWindowMs).append(" ms → ").append(newMaxWindowMs)
                        .append(" ms (allowed ≤ ").append(allowedMaxWindowMs).append(" ms)");
            }
            return sb.toString();
        }
    }
}
