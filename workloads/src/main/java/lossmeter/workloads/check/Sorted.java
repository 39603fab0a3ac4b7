package lossmeter.workloads.check;

/** Binary searches over sorted times and positions, shared by the checker's passes. */
final class Sorted {
    private Sorted() {
    }

    /** How many elements of the sorted array are ≤ x (the index of the first one above it). */
    static int countAtMost(long[] a, long x) {
        int lo = 0, hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= x) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** How many elements of the sorted array are < x. */
    static int countBelow(long[] a, long x) {
        return x == Long.MIN_VALUE ? 0 : countAtMost(a, x - 1);
    }
}
