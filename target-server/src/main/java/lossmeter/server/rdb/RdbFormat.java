package lossmeter.server.rdb;

/** The numbers of the RDB format that this package reads and writes (Redis 7.0, format version 10). */
final class RdbFormat {
    private RdbFormat() {
    }

    static final int VERSION = 10;
    /** What the AUX field redis-ver says; the same version INFO reports as redis_version. */
    static final String REDIS_VERSION = "7.0.0";

    // opcodes
    static final int OPCODE_FUNCTION2 = 245;
    static final int OPCODE_FUNCTION = 246;
    static final int OPCODE_MODULE_AUX = 247;
    static final int OPCODE_IDLE = 248;
    static final int OPCODE_FREQ = 249;
    static final int OPCODE_AUX = 250;
    static final int OPCODE_RESIZEDB = 251;
    static final int OPCODE_EXPIRETIME_MS = 252;
    static final int OPCODE_EXPIRETIME = 253;
    static final int OPCODE_SELECTDB = 254;
    static final int OPCODE_EOF = 255;

    // object types
    static final int TYPE_STRING = 0;
    static final int TYPE_LIST = 1;
    static final int TYPE_LIST_ZIPLIST = 10;
    static final int TYPE_LIST_QUICKLIST = 14;
    static final int TYPE_LIST_QUICKLIST_2 = 18;

    // quicklist 2 node containers
    static final int CONTAINER_PLAIN = 1;
    static final int CONTAINER_PACKED = 2;

    // length encodings (top two bits of the first byte) and special string encodings
    static final int LEN_6BIT = 0;
    static final int LEN_14BIT = 1;
    static final int LEN_32BIT = 0x80;
    static final int LEN_64BIT = 0x81;
    static final int ENCVAL = 3;
    static final int ENC_INT8 = 0;
    static final int ENC_INT16 = 1;
    static final int ENC_INT32 = 2;
    static final int ENC_LZF = 3;

    private static final String[] TYPE_NAMES = {"string", "list-linked", "set-hashtable", "zset-v1", "hash-hashtable", "zset-v2",
            "module-value", "module-value-2", "", "hash-zipmap", "list-ziplist", "set-intset", "zset-ziplist", "hash-ziplist",
            "quicklist", "stream", "hash-listpack", "zset-listpack", "quicklist-v2"};

    /** Redis 7.0's rdbIsObjectType: 0-7 and 9-19. */
    static boolean isObjectType(int t) {
        return (t >= 0 && t <= 7) || (t >= 9 && t <= 19);
    }

    /** The name redis-check-rdb gives a type. */
    static String typeName(int t) {
        return t >= 0 && t < TYPE_NAMES.length && !TYPE_NAMES[t].isEmpty() ? TYPE_NAMES[t] : "unknown";
    }

    /** Redis's moduleTypeNameByID: the 9-character module type name packed in a module id. */
    static String moduleName(long moduleId) {
        String cset = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char[] name = new char[9];
        long id = moduleId >>> 10;
        for (int j = 8; j >= 0; j--) {
            name[j] = cset.charAt((int) (id & 63));
            id >>>= 6;
        }
        return new String(name);
    }
}
