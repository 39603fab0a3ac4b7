package lossmeter.server.resp;

import java.util.ArrayList;
import java.util.List;

/** Splits a line into arguments with Redis's quoting rules; shared by inline requests and config files. */
public final class InlineArgs {
    private InlineArgs() {
    }

    /**
     * Splits buf[from, to) into arguments, or returns null for unbalanced quotes.
     */
    // Splits an inline line the way Redis's sdssplitargs does: spaces separate, double quotes
    // allow escapes (\n \r \t \b \a \\ \" \xHH), single quotes allow only \'.
    public static List<byte[]> split(byte[] buf, int from, int to) {
        List<byte[]> out = new ArrayList<>();
        int p = from;
        var cur = new java.io.ByteArrayOutputStream();
        while (true) {
            while (p < to && isSpace(buf[p])) p++;
            if (p >= to) return out;
            boolean inDq = false, inSq = false, done = false;
            cur.reset();
            while (!done) {
                if (inDq) {
                    if (p >= to) return null;
                    byte c = buf[p];
                    if (c == '\\' && p + 3 < to && buf[p + 1] == 'x' && isHex(buf[p + 2]) && isHex(buf[p + 3])) {
                        cur.write(hex(buf[p + 2]) * 16 + hex(buf[p + 3]));
                        p += 3;
                    } else if (c == '\\' && p + 1 < to) {
                        p++;
                        byte e = buf[p];
                        cur.write(switch (e) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> e;
                        });
                    } else if (c == '"') {
                        if (p + 1 < to && !isSpace(buf[p + 1])) {
                            return null;
                        }
                        done = true;
                    } else {
                        cur.write(c);
                    }
                } else if (inSq) {
                    if (p >= to) return null;
                    byte c = buf[p];
                    if (c == '\\' && p + 1 < to && buf[p + 1] == '\'') {
                        p++;
                        cur.write('\'');
                    } else if (c == '\'') {
                        if (p + 1 < to && !isSpace(buf[p + 1])) {
                            return null;
                        }
                        done = true;
                    } else {
                        cur.write(c);
                    }
                } else {
                    if (p >= to) {
                        done = true;
                        break;
                    }
                    byte c = buf[p];
                    // Like sdssplitargs: an unquoted word ends only at these, not at \v or \f.
                    if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0) {
                        done = true;
                    } else if (c == '"') {
                        inDq = true;
                    } else if (c == '\'') {
                        inSq = true;
                    } else {
                        cur.write(c);
                    }
                }
                if (p < to) p++;
            }
            out.add(cur.toByteArray());
        }
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == 0x0c;
    }

    private static boolean isHex(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int hex(byte c) {
        if (c <= '9') return c - '0';
        if (c >= 'a') return c - 'a' + 10;
        return c - 'A' + 10;
    }

}
