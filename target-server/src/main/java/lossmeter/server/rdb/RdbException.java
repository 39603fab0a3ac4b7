package lossmeter.server.rdb;

import java.nio.charset.StandardCharsets;

/**
 * An RDB file that cannot be loaded: what is wrong, in Redis's words, where (the offset of the
 * failed read) and what the reader was doing, as redis-check-rdb reports it.
 */
public final class RdbException extends Exception {
    /** What kind of problem, which decides the lines the server logs. */
    public enum Kind {
        /** The file does not start with {@code REDIS}. */
        SIGNATURE,
        /** A format version this reader does not handle. */
        VERSION,
        /** The file ends in the middle of something. */
        SHORT_READ,
        /** Bytes that cannot be what the format says they are. */
        CORRUPT,
        /** The stored CRC-64 differs from the content's. */
        CHECKSUM,
        /** Well-formed content this server has no values for (sets, hashes, functions…). */
        UNSUPPORTED
    }

    private final Kind kind;
    private final long offset;
    private final String doing;
    private final byte[] key;
    private final int type;
    private final long expectedChecksum;
    private final long storedChecksum;

    RdbException(Kind kind, String reason, long offset, String doing, byte[] key, int type, long expectedChecksum,
            long storedChecksum) {
        super(reason, null, false, false);
        this.kind = kind;
        this.offset = offset;
        this.doing = doing;
        this.key = key;
        this.type = type;
        this.expectedChecksum = expectedChecksum;
        this.storedChecksum = storedChecksum;
    }

    /** A refusal raised by a visitor; the parser fills in where it happened. */
    static RdbException refuse(Kind kind, String reason) {
        return new RdbException(kind, reason, -1, null, null, -1, 0, 0);
    }

    public Kind kind() {
        return kind;
    }

    /** The reason alone, e.g. {@code Unexpected EOF reading RDB file} or {@code RDB CRC error}. */
    public String reason() {
        return getMessage();
    }

    /** Offset in the file where the failing read started. */
    public long offset() {
        return offset;
    }

    /** redis-check-rdb's "While doing" state: start, read-type, read-key, read-object-value, check-sum… */
    public String doing() {
        return doing;
    }

    /** The key being read, or null. */
    public String key() {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    /** The object type being read, or -1. */
    public int type() {
        return type;
    }

    /** For {@link Kind#CHECKSUM}: the CRC-64 of the content. */
    public long expectedChecksum() {
        return expectedChecksum;
    }

    /** For {@link Kind#CHECKSUM}: the CRC-64 stored at the end of the file. */
    public long storedChecksum() {
        return storedChecksum;
    }
}
