package lossmeter.reports.html;

/**
 * Escaping for everything the report takes from a results dir. Keys, values and log lines come from
 * the target and may hold markup; passed through here they are text in both HTML and inline SVG,
 * in element content and in quoted attributes alike.
 */
public final class Html {
    private Html() {
    }

    /** Text safe in element content and in double- or single-quoted attributes; null is empty. */
    public static String esc(Object o) {
        if (o == null) return "";
        String s = o.toString();
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    // Control characters (other than tab and newline) are not allowed in HTML text; they become U+FFFD.
                    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') sb.append('\uFFFD');
                    else sb.append(c);
                }
            }
        }
        return sb.toString();
    }

    /** At most {@code max} characters of s, with a note of how much was cut (a value can be a huge list). */
    public static String clip(String s, int max) {
        if (s == null) return "";
        if (s.length() <= max) return s;
        return s.substring(0, max) + "… (" + (s.length() - max) + " more characters)";
    }

    /**
     * A relative link path with each segment percent-encoded where it holds anything but safe
     * characters, so a trial id or file name cannot break out of the href.
     */
    public static String href(String relative) {
        StringBuilder sb = new StringBuilder();
        for (byte b : relative.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-_./~".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }
}
