package lossmeter.reports.html;

import java.util.Locale;

/** Numbers and durations as the report prints them. */
final class Format {
    private Format() {
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String ms(long ms) {
        if (Math.abs(ms) >= 10_000) return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        return count(ms) + " ms";
    }

    static String ms(Long ms) {
        return ms == null ? "–" : ms(ms.longValue());
    }

    /**
     * A data-loss window, with the most a recovered state also fit when that is more: {@code 294 ms
     * (≤ 2,980 ms)}. No-break spaces inside each end, so a narrow table cell wraps only between them.
     */
    static String window(long ms, long upperMs) {
        if (upperMs <= ms) return ms(ms);
        return ms(ms).replace(' ', '\u00a0') + " (≤\u00a0" + ms(upperMs).replace(' ', '\u00a0') + ")";
    }

    /** One decimal place, fixed locale so reports compare byte for byte across machines. */
    static String num(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }
}
