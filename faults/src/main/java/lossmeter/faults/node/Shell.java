package lossmeter.faults.node;

import java.util.List;
import java.util.regex.Pattern;

/** POSIX shell quoting, for commands shown to people and run by {@code sh -c} on a node. */
public final class Shell {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private Shell() {
    }

    /** The word as one shell word: unchanged when it holds nothing special, else single-quoted. */
    public static String quote(String s) {
        if (SAFE.matcher(s).matches()) return s;
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** The words quoted and joined with spaces. */
    public static String join(List<String> words) {
        return String.join(" ", words.stream().map(Shell::quote).toList());
    }
}
