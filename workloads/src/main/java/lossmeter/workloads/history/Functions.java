package lossmeter.workloads.history;

/** The names of the operation functions, as they appear in histories and reports. */
public final class Functions {
    public static final String INCR = "incr";
    public static final String RPUSH = "rpush";
    public static final String LPUSH = "lpush";
    public static final String GET = "get";
    public static final String LRANGE = "lrange";
    public static final String FLUSHALL = "flushall";
    public static final String TXN = "txn";

    private Functions() {
    }

    public static boolean isWrite(String f) {
        return f.equals(INCR) || f.equals(RPUSH) || f.equals(LPUSH) || f.equals(FLUSHALL) || f.equals(TXN);
    }

    public static boolean isRead(String f) {
        return f.equals(GET) || f.equals(LRANGE);
    }
}
