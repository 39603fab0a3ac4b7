package lossmeter.server.rdb;

/**
 * What {@link RdbParser} finds, in file order. A callback may refuse the file by throwing an
 * {@link RdbException} from {@link RdbException#refuse}; the parser adds where it was.
 */
interface RdbVisitor {
    /** An AUX field; {@code offset} is just after it, as redis-check-rdb prints it. */
    default void aux(String key, String value, long offset) throws RdbException {
    }

    default void selectDb(long id, long offset) throws RdbException {
    }

    default void resizeDb(long keys, long expires) {
    }

    /** A key with its value (a {@code byte[]} string or a ListValue) and expiry in unix ms (-1: none). */
    void entry(byte[] key, Object value, long expireAtMillis) throws RdbException;

    /** A list stored with no element (Redis skips such keys with a warning). */
    default void emptyKey(byte[] key) {
    }

    /** The trailer: {@code verified} false when the file was saved without a checksum (stored 0). */
    default void checksum(boolean verified, long offset) {
    }
}
