package lossmeter.harness.run;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a target refused to start, in its own words: the warning lines of its log (Redis's line
 * format marks them {@code #}), without the pid and time prefix; failing that, its last line.
 */
final class RefusalReason {
    /** {@code 1234:M 21 Nov 2026 13:00:00.000 # message}: Redis's format, which the bundled server follows. */
    private static final Pattern LINE = Pattern.compile("^\\d+:[A-Z] .*?\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)? ([.*#-]) (.*)$");
    /** Warning-level lines every start prints (environment advice, start-up milestones), never the reason. */
    private static final Pattern NOISE = Pattern.compile("^(WARNING\\b|Server initialized|oO0OoO0OoO0Oo|Received SIG|Redis version=|Configuration loaded)");
    private static final int MAX_LINES = 2;

    private RefusalReason() {
    }

    static String from(String logTail) {
        List<String> warnings = new ArrayList<>();
        String last = null;
        for (String line : logTail.split("\n")) {
            String l = line.strip();
            if (l.isEmpty()) continue;
            Matcher m = LINE.matcher(l);
            if (m.matches()) {
                String text = m.group(2).strip();
                if (m.group(1).equals("#") && !NOISE.matcher(text).find()) warnings.add(text);
                last = m.group(2).strip();
            } else {
                last = l;
            }
        }
        if (!warnings.isEmpty()) return String.join(" / ", warnings.subList(Math.max(0, warnings.size() - MAX_LINES), warnings.size()));
        return last == null ? "its log is empty" : last;
    }
}
