package lossmeter.server.rdb;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;

import lossmeter.server.keyspace.ListValue;
import lossmeter.server.rdb.RdbException.Kind;

/**
 * Reads an RDB of format version 1 to 10 from magic to checksum, checking its structure as it
 * goes, and hands what it finds to an {@link RdbVisitor}. Strings (raw, integer, LZF) and lists
 * (types 1, 10, 14 and 18) are decoded; any other type is refused by name. Every length is
 * checked against the bytes that remain before anything is allocated for it, and every loop
 * consumes input, so a corrupt file ends in an {@link RdbException}, never in a hang.
 */
final class RdbParser {
    private final RdbInput in;
    private final boolean verifyChecksum;
    private int version;
    private String doing = "start";
    private byte[] key;
    private int type = -1;
    private long keysRead;
    private boolean encoded;

    RdbParser(RdbInput in, boolean verifyChecksum) {
        this.in = in;
        this.verifyChecksum = verifyChecksum;
    }

    int version() {
        return version;
    }

    /** Keys whose name was read, as redis-check-rdb counts them. */
    long keysRead() {
        return keysRead;
    }

    /** Bytes consumed so far. */
    long position() {
        return in.position();
    }

    /** Parses to the end of the checksum; returns the bytes consumed. */
    long parse(RdbVisitor v) throws RdbException, IOException {
        try {
            return parseAll(v);
        } catch (EOFException e) {
            throw error(Kind.SHORT_READ, "Unexpected EOF reading RDB file");
        }
    }

    private long parseAll(RdbVisitor v) throws RdbException, IOException {
        byte[] magic = new byte[9];
        in.readFully(magic, 0, 9);
        if (!new String(magic, 0, 5, StandardCharsets.ISO_8859_1).equals("REDIS")) {
            throw error(Kind.SIGNATURE, "Wrong signature trying to load DB from file");
        }
        version = atoi(magic, 5);
        if (version < 1 || version > RdbFormat.VERSION) throw error(Kind.VERSION, "Can't handle RDB format version " + version);
        long expire = -1;
        while (true) {
            doing = "read-type";
            int t = in.readByte();
            switch (t) {
                case RdbFormat.OPCODE_EXPIRETIME -> {
                    doing = "read-expire";
                    expire = (int) in.readLe(4) * 1000L;
                    continue;
                }
                case RdbFormat.OPCODE_EXPIRETIME_MS -> {
                    doing = "read-expire";
                    expire = in.readLe(8);
                    continue;
                }
                case RdbFormat.OPCODE_FREQ -> {
                    in.readByte(); // LFU counter: this server does not evict
                    continue;
                }
                case RdbFormat.OPCODE_IDLE -> {
                    readLen(); // LRU idle time: likewise
                    continue;
                }
                case RdbFormat.OPCODE_EOF -> {
                    return trailer(v);
                }
                case RdbFormat.OPCODE_SELECTDB -> {
                    doing = "read-len";
                    long id = readLen();
                    visit(() -> v.selectDb(id, in.position()));
                    continue;
                }
                case RdbFormat.OPCODE_RESIZEDB -> {
                    doing = "read-len";
                    long keys = readLen();
                    long expires = readLen();
                    v.resizeDb(keys, expires);
                    continue;
                }
                case RdbFormat.OPCODE_AUX -> {
                    doing = "read-aux";
                    String k = new String(readString(), StandardCharsets.UTF_8);
                    String val = new String(readString(), StandardCharsets.UTF_8);
                    visit(() -> v.aux(k, val, in.position()));
                    continue;
                }
                case RdbFormat.OPCODE_MODULE_AUX -> {
                    doing = "read-module-aux";
                    long moduleId = readLen();
                    throw error(Kind.UNSUPPORTED, "The RDB file contains AUX module data I can't load: no matching module '"
                            + RdbFormat.moduleName(moduleId) + "'");
                }
                case RdbFormat.OPCODE_FUNCTION, RdbFormat.OPCODE_FUNCTION2 -> {
                    doing = "read-functions";
                    throw error(Kind.UNSUPPORTED, "The RDB file contains a function library (opcode " + t
                            + "), which this server cannot load");
                }
                default -> {
                }
            }
            if (!RdbFormat.isObjectType(t)) throw error(Kind.CORRUPT, "Invalid object type: " + t);
            type = t;
            doing = "read-key";
            key = readString();
            keysRead++;
            doing = "read-object-value";
            Object value = readValue(t);
            byte[] k = key;
            long at = expire;
            if (value == null) v.emptyKey(k);
            else visit(() -> v.entry(k, value, at));
            key = null;
            type = -1;
            expire = -1;
        }
    }

    private long trailer(RdbVisitor v) throws RdbException, IOException {
        if (version >= 5) {
            doing = "check-sum";
            long computed = in.crc();
            long stored = in.readLe(8);
            if (verifyChecksum) {
                if (stored == 0) {
                    v.checksum(false, in.position());
                } else if (stored != computed) {
                    throw new RdbException(Kind.CHECKSUM, "RDB CRC error", in.position(), doing, null, -1, computed, stored);
                } else {
                    v.checksum(true, in.position());
                }
            }
        }
        return in.position();
    }

    // ---- values -----------------------------------------------------------------------------

    private Object readValue(int t) throws RdbException, IOException {
        return switch (t) {
            case RdbFormat.TYPE_STRING -> readString();
            case RdbFormat.TYPE_LIST -> {
                long n = count(readLen());
                ListValue l = new ListValue();
                for (long i = 0; i < n; i++) l.addLast(readString());
                yield l.size() == 0 ? null : l;
            }
            case RdbFormat.TYPE_LIST_ZIPLIST -> {
                ListValue l = new ListValue();
                byte[] zl = readString();
                try {
                    Ziplist.decode(zl, l::addLast);
                } catch (DataFormatException e) {
                    throw error(Kind.CORRUPT, "List ziplist integrity check failed. (" + e.getMessage() + ")");
                }
                yield l.size() == 0 ? null : l;
            }
            case RdbFormat.TYPE_LIST_QUICKLIST, RdbFormat.TYPE_LIST_QUICKLIST_2 -> readQuicklist(t);
            default -> throw error(Kind.UNSUPPORTED, "unsupported type " + t + " (" + RdbFormat.typeName(t) + ") for key '"
                    + new String(key, StandardCharsets.UTF_8) + "': this server loads strings and lists only");
        };
    }

    private ListValue readQuicklist(int t) throws RdbException, IOException {
        long nodes = count(readLen());
        ListValue l = new ListValue();
        for (long i = 0; i < nodes; i++) {
            long container = RdbFormat.CONTAINER_PACKED;
            if (t == RdbFormat.TYPE_LIST_QUICKLIST_2) {
                container = readLen();
                if (container != RdbFormat.CONTAINER_PACKED && container != RdbFormat.CONTAINER_PLAIN) {
                    throw error(Kind.CORRUPT, "Quicklist integrity check failed. (node container " + container + ")");
                }
            }
            byte[] data = readString();
            if (data.length == 0) throw error(Kind.CORRUPT, "Quicklist integrity check failed. (empty node)");
            if (container == RdbFormat.CONTAINER_PLAIN) {
                l.addLast(data);
                continue;
            }
            try {
                // Empty nodes are skipped silently, as Redis does; an all-empty list is an empty key.
                if (t == RdbFormat.TYPE_LIST_QUICKLIST_2) Listpack.decode(data, l::addLast);
                else Ziplist.decode(data, l::addLast);
            } catch (DataFormatException e) {
                String what = t == RdbFormat.TYPE_LIST_QUICKLIST_2 ? "Listpack" : "Ziplist";
                throw error(Kind.CORRUPT, what + " integrity check failed. (" + e.getMessage() + ")");
            }
        }
        return l.size() == 0 ? null : l;
    }

    /** A count of items that each take at least one byte: more than remain means the file is cut short. */
    private long count(long n) throws EOFException {
        if (n > in.remaining()) throw new EOFException();
        return n;
    }

    // ---- lengths and strings ---------------------------------------------------------------

    /** rdbLoadLen; like Redis, a special-encoding marker read where a length is expected yields its 6 bits. */
    private long readLen() throws RdbException, IOException {
        int b = in.readByte();
        int kind = (b & 0xC0) >>> 6;
        encoded = false;
        if (kind == RdbFormat.ENCVAL) {
            encoded = true;
            return b & 0x3F;
        } else if (kind == RdbFormat.LEN_6BIT) {
            return b & 0x3F;
        } else if (kind == RdbFormat.LEN_14BIT) {
            return ((long) (b & 0x3F) << 8) | in.readByte();
        } else if (b == RdbFormat.LEN_32BIT) {
            long v = 0;
            for (int i = 0; i < 4; i++) v = (v << 8) | in.readByte();
            return v;
        } else if (b == RdbFormat.LEN_64BIT) {
            long v = 0;
            for (int i = 0; i < 8; i++) v = (v << 8) | in.readByte();
            return v < 0 ? Long.MAX_VALUE : v; // beyond any file: the caller's bound check refuses it
        }
        throw error(Kind.CORRUPT, "Unknown length encoding " + kind + " in rdbLoadLen()");
    }

    /** rdbGenericLoadStringObject: raw, integer-encoded or LZF. */
    private byte[] readString() throws RdbException, IOException {
        long len = readLen();
        if (!encoded) return in.readBytes(len);
        switch ((int) len) {
            case RdbFormat.ENC_INT8 -> {
                return Decimal.ascii((byte) in.readByte());
            }
            case RdbFormat.ENC_INT16 -> {
                return Decimal.ascii((short) in.readLe(2));
            }
            case RdbFormat.ENC_INT32 -> {
                return Decimal.ascii((int) in.readLe(4));
            }
            case RdbFormat.ENC_LZF -> {
                long clen = readLen();
                long ulen = readLen();
                byte[] c = in.readBytes(clen);
                if (ulen > Integer.MAX_VALUE - 8) throw error(Kind.CORRUPT, "Invalid LZF compressed string (length " + ulen + ")");
                try {
                    return Lzf.decompress(c, 0, c.length, (int) ulen);
                } catch (DataFormatException e) {
                    throw error(Kind.CORRUPT, "Invalid LZF compressed string (" + e.getMessage() + ")");
                }
            }
            default -> throw error(Kind.CORRUPT, "Unknown RDB string encoding type " + len);
        }
    }

    // ---- errors ---------------------------------------------------------------------------

    private interface Visit {
        void run() throws RdbException;
    }

    private void visit(Visit call) throws RdbException {
        try {
            call.run();
        } catch (RdbException e) {
            if (e.offset() >= 0) throw e;
            throw error(e.kind(), e.reason());
        }
    }

    private RdbException error(Kind kind, String reason) {
        return new RdbException(kind, reason, in.position(), doing, key, type, 0, 0);
    }

    /** C's atoi on the four version digits: leading digits only, 0 when there are none. */
    private static int atoi(byte[] b, int from) {
        int i = from;
        while (i < b.length && (b[i] == ' ' || b[i] == '\t')) i++;
        boolean neg = i < b.length && b[i] == '-';
        if (i < b.length && (b[i] == '-' || b[i] == '+')) i++;
        int v = 0;
        while (i < b.length && b[i] >= '0' && b[i] <= '9') v = v * 10 + (b[i++] - '0');
        return neg ? -v : v;
    }
}
