package lossmeter.server.net;

import lossmeter.server.command.Client;
import lossmeter.server.command.ClientInfo;

/** The log lines Redis writes when it drops a client over a limit, word for word, so log readers match them. */
final class ClosingReason {
    private ClosingReason() {
    }

    static String outputLimit(Client c, int port) {
        return "Client " + ClientInfo.of(c, port) + " closed for overcoming of output buffer limits.";
    }

    static String queryLimit(Client c, int port, byte[] buf, int len) {
        return "Closing client that reached max query buffer length: " + ClientInfo.of(c, port) + " (qbuf initial bytes: "
                + repr(buf, Math.min(len, 64)) + ")";
    }

    /** Redis's sdscatrepr: quoted, with escapes for quotes, backslashes and anything not printable. */
    static String repr(byte[] b, int len) {
        StringBuilder sb = new StringBuilder(len + 2).append('"');
        for (int i = 0; i < len; i++) {
            int ch = b[i] & 0xff;
            switch (ch) {
                case '\\', '"' -> sb.append('\\').append((char) ch);
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                default -> {
                    if (ch >= 32 && ch < 127) sb.append((char) ch);
                    else sb.append(String.format("\\x%02x", ch));
                }
            }
        }
        return sb.append('"').toString();
    }
}
