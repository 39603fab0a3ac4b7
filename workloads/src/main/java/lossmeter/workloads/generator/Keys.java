package lossmeter.workloads.generator;

/**
 * Key naming shared by generators and checkers: counters are {@code c<i>}, lists {@code l<i>}.
 * Counter {@code c<i>} is always incremented by the same amount (1 for even i, 3 for odd i), so
 * every value it can hold pins how many increments it took; list {@code l<i>} always grows at the
 * same end (right for even i, left for odd i), so its contents pin the order of pushes.
 */
public final class Keys {
    private Keys() {
    }

    public static String counter(int i) {
        return "c" + i;
    }

    public static String list(int i) {
        return "l" + i;
    }

    public static boolean isCounter(String key) {
        return key.length() > 1 && key.charAt(0) == 'c' && digits(key);
    }

    public static boolean isList(String key) {
        return key.length() > 1 && key.charAt(0) == 'l' && digits(key);
    }

    public static int index(String key) {
        return Integer.parseInt(key.substring(1));
    }

    /** The fixed increment of a counter key. */
    public static long increment(String counterKey) {
        return index(counterKey) % 2 == 0 ? 1 : 3;
    }

    /** True when a list key grows at the head (LPUSH), false for the tail (RPUSH). */
    public static boolean pushesLeft(String listKey) {
        return index(listKey) % 2 == 1;
    }

    private static boolean digits(String key) {
        for (int i = 1; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }
}
