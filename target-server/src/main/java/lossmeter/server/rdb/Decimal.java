package lossmeter.server.rdb;

import java.nio.charset.StandardCharsets;

/** Strings that are canonical decimal integers, as Redis's string2ll and lpStringToInt64 see them. */
final class Decimal {
    private Decimal() {
    }

    /**
     * True when {@code s} is exactly how a 64-bit integer prints: an optional '-', no leading zero,
     * no "-0", no '+', no spaces, in range. Only such strings round-trip through an integer encoding.
     */
    static boolean isCanonical(byte[] s) {
        int n = s.length;
        if (n == 0 || n > 20) return false;
        if (n == 1 && s[0] == '0') return true;
        int i = s[0] == '-' ? 1 : 0;
        if (i == n || s[i] < '1' || s[i] > '9') return false;
        long v = 0; // accumulated negatively so that Long.MIN_VALUE fits
        for (; i < n; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) return false;
            if (v < (Long.MIN_VALUE + d) / 10) return false;
            v = v * 10 - d;
        }
        return s[0] == '-' || v != Long.MIN_VALUE;
    }

    /** The value of a string for which {@link #isCanonical} holds. */
    static long parse(byte[] s) {
        int i = s[0] == '-' ? 1 : 0;
        long v = 0;
        for (int k = i; k < s.length; k++) v = v * 10 - (s[k] - '0');
        return i == 1 ? v : -v;
    }

    static byte[] ascii(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }
}
