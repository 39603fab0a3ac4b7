package lossmeter.server.command;

/** Redis's strict integer syntax (string2ll): no spaces, no '+', no leading zeros, 64-bit range. */
public final class Numbers {
    /** Returned for a string that is not a valid integer (Long.MIN_VALUE itself is checked by {@link #isMinValue}). */
    public static final long INVALID = Long.MIN_VALUE;
    private static final byte[] MIN = Long.toString(Long.MIN_VALUE).getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Numbers() {
    }

    public static long parseLong(byte[] b) {
        int n = b.length;
        if (n == 0 || n > 20) return INVALID;
        if (n == 1 && b[0] == '0') return 0;
        int i = 0;
        boolean neg = false;
        if (b[0] == '-') {
            neg = true;
            i = 1;
            if (n == 1) return INVALID;
        }
        if (b[i] < '1' || b[i] > '9') return INVALID;
        long v = 0;
        for (; i < n; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) return INVALID;
            // Accumulate negatively so Long.MIN_VALUE fits; detect overflow before it happens.
            if (v < (Long.MIN_VALUE + d) / 10) return INVALID;
            v = v * 10 - d;
        }
        if (neg) return v;
        if (v == Long.MIN_VALUE) return INVALID;
        return -v;
    }

    public static boolean isMinValue(byte[] b) {
        return java.util.Arrays.equals(b, MIN);
    }
}
