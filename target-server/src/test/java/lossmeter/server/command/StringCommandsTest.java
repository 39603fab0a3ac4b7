package lossmeter.server.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import lossmeter.server.command.CommandSpec.Flag;
import lossmeter.server.keyspace.Key;
import org.junit.jupiter.api.Test;

/** Replies and error texts checked against Redis 7.0.15. */
class StringCommandsTest extends CommandTestBase {


    static String bulk(String s) {
        return "$" + s.length() + "\r\n" + s + "\r\n";
    }

    static String arr(String... bulks) {
        StringBuilder sb = new StringBuilder("*" + bulks.length + "\r\n");
        for (String b : bulks) sb.append(b == null ? NIL : bulk(b));
        return sb.toString();
    }

    static long pttl(EngineFixture f, String key) {
        String r = f.run("PTTL", key);
        return Long.parseLong(r.substring(1, r.length() - 2));
    }

    // ---- GET / SET ---------------------------------------------------------------------------

    @Test
    void getAndSet() {
        assertThat(f.run("GET", "k")).isEqualTo(NIL);
        assertThat(f.run("SET", "k", "v")).isEqualTo(OK);
        assertThat(f.run("GET", "k")).isEqualTo(bulk("v"));
        assertThat(f.run("set", "k", "")).isEqualTo(OK);
        assertThat(f.run("GET", "k")).isEqualTo(bulk(""));
        assertThat(f.run("GET")).isEqualTo("-ERR wrong number of arguments for 'get' command\r\n");
    }

    @Test
    void setOverwritesAnyTypeAndGetOnListIsWrongType() {
        f.run("RPUSH", "l", "a");
        assertThat(f.run("GET", "l")).isEqualTo(WRONGTYPE);
        assertThat(f.run("SET", "l", "v")).isEqualTo(OK);
        assertThat(f.run("GET", "l")).isEqualTo(bulk("v"));
    }

    @Test
    void setNxXx() {
        assertThat(f.run("SET", "k", "v", "XX")).isEqualTo(NIL);
        assertThat(f.run("EXISTS", "k")).isEqualTo(":0\r\n");
        assertThat(f.run("SET", "k", "v", "nx")).isEqualTo(OK);
        assertThat(f.run("SET", "k", "w", "NX")).isEqualTo(NIL);
        assertThat(f.run("SET", "k", "w", "NX", "NX")).isEqualTo(NIL);
        assertThat(f.run("SET", "k", "w", "XX")).isEqualTo(OK);
        assertThat(f.run("GET", "k")).isEqualTo(bulk("w"));
    }

    @Test
    void setGetOption() {
        assertThat(f.run("SET", "k", "v", "GET")).isEqualTo(NIL);
        assertThat(f.run("SET", "k", "v2", "GET")).isEqualTo(bulk("v"));
        assertThat(f.run("SET", "k", "v3", "NX", "GET")).isEqualTo(bulk("v2"));
        assertThat(f.run("GET", "k")).isEqualTo(bulk("v2"));
        assertThat(f.run("SET", "n", "x", "NX", "GET")).isEqualTo(NIL);
        assertThat(f.run("GET", "n")).isEqualTo(bulk("x"));
        assertThat(f.run("SET", "k", "v4", "XX", "GET")).isEqualTo(bulk("v2"));
        f.run("LPUSH", "l", "a");
        assertThat(f.run("SET", "l", "v", "GET")).isEqualTo(WRONGTYPE);
        assertThat(f.run("SET", "l", "v", "NX", "GET")).isEqualTo(WRONGTYPE);
        assertThat(f.run("TYPE", "l")).isEqualTo("+list\r\n");
    }

    @Test
    void setSyntaxErrors() {
        assertThat(f.run("SET", "k", "v", "NX", "XX")).isEqualTo(SYNTAX);
        assertThat(f.run("SET", "k", "v", "XX", "NX")).isEqualTo(SYNTAX);
        assertThat(f.run("SET", "k", "v", "EX", "10", "PX", "100")).isEqualTo(SYNTAX);
        assertThat(f.run("SET", "k", "v", "KEEPTTL", "EX", "10")).isEqualTo(SYNTAX);
        assertThat(f.run("SET", "k", "v", "EX", "10", "KEEPTTL")).isEqualTo(SYNTAX);
        assertThat(f.run("SET", "k", "v", "EXAT", "10", "PXAT", "10")).isEqualTo(SYNTAX);
        assertThat(f.run("SET", "k", "v", "EX")).isEqualTo(SYNTAX);
        assertThat(f.run("SET", "k", "v", "foo")).isEqualTo(SYNTAX);
        assertThat(f.run("SET", "k", "v", "PERSIST")).isEqualTo(SYNTAX);
        assertThat(f.run("SET", "k")).isEqualTo("-ERR wrong number of arguments for 'set' command\r\n");
        assertThat(f.run("EXISTS", "k")).isEqualTo(":0\r\n");
    }

    @Test
    void setExpireOptions() {
        assertThat(f.run("SET", "k", "v", "EX", "10", "EX", "20")).isEqualTo(OK);
        assertThat(f.run("TTL", "k")).isEqualTo(":20\r\n");
        assertThat(f.run("SET", "k", "v", "PX", "5000")).isEqualTo(OK);
        assertThat(pttl(f, "k")).isBetween(4000L, 5000L);
        assertThat(f.run("SET", "k", "v", "EXAT", "4000000000")).isEqualTo(OK);
        assertThat(f.run("PEXPIRETIME", "k")).isEqualTo(":4000000000000\r\n");
        assertThat(f.run("SET", "k", "v", "pxat", "4000000000123")).isEqualTo(OK);
        assertThat(f.run("PEXPIRETIME", "k")).isEqualTo(":4000000000123\r\n");
        assertThat(f.run("SET", "k", "v2", "KEEPTTL")).isEqualTo(OK);
        assertThat(f.run("PEXPIRETIME", "k")).isEqualTo(":4000000000123\r\n");
        assertThat(f.run("GET", "k")).isEqualTo(bulk("v2"));
        assertThat(f.run("SET", "k", "v3")).isEqualTo(OK);
        assertThat(f.run("TTL", "k")).isEqualTo(":-1\r\n");
    }

    @Test
    void setInvalidExpireTimes() {
        String invalid = "-ERR invalid expire time in 'set' command\r\n";
        assertThat(f.run("SET", "k", "v", "EX", "0")).isEqualTo(invalid);
        assertThat(f.run("SET", "k", "v", "EX", "-1")).isEqualTo(invalid);
        assertThat(f.run("SET", "k", "v", "PX", "0")).isEqualTo(invalid);
        assertThat(f.run("SET", "k", "v", "EXAT", "0")).isEqualTo(invalid);
        assertThat(f.run("SET", "k", "v", "PXAT", "-5")).isEqualTo(invalid);
        assertThat(f.run("SET", "k", "v", "PX", "9223372036854775807")).isEqualTo(invalid);
        assertThat(f.run("SET", "k", "v", "EX", "9223372036854775")).isEqualTo(invalid);
        assertThat(f.run("SET", "k", "v", "EX", "9223372036854776")).isEqualTo(invalid);
        assertThat(f.run("SET", "k", "v", "EX", "abc")).isEqualTo(NOT_INT);
        assertThat(f.run("SET", "k", "v", "EX", "010")).isEqualTo(NOT_INT);
        assertThat(f.run("EXISTS", "k")).isEqualTo(":0\r\n");
        assertThat(f.run("SETEX", "k", "0", "v")).isEqualTo("-ERR invalid expire time in 'setex' command\r\n");
        assertThat(f.run("SETEX", "k", "-5", "v")).isEqualTo("-ERR invalid expire time in 'setex' command\r\n");
        assertThat(f.run("SETEX", "k", "x", "v")).isEqualTo(NOT_INT);
        assertThat(f.run("PSETEX", "k", "0", "v")).isEqualTo("-ERR invalid expire time in 'psetex' command\r\n");
    }

    /** Redis 7.0 accepts an absolute time in the past: the key is set, already expired. */
    @Test
    void setWithAbsoluteTimeInThePastExpiresAtOnce() throws Exception {
        EngineFixture a = aof();
        assertThat(a.run("SET", "k", "v", "PXAT", "1")).isEqualTo(OK);
        assertThat(a.run("GET", "k")).isEqualTo(NIL);
        assertThat(a.aofCommands()).containsExactly(
                List.of("SELECT", "0"), List.of("SET", "k", "v", "PXAT", "1"), List.of("DEL", "k"));
    }

    @Test
    void setRelativeExpiryIsLoggedAsPxat() throws Exception {
        EngineFixture a = aof();
        long before = System.currentTimeMillis();
        assertThat(a.run("SET", "k", "v", "EX", "100")).isEqualTo(OK);
        assertThat(a.run("SET", "p", "w", "NX", "PX", "5000")).isEqualTo(OK);
        assertThat(a.run("SET", "q", "x", "EXAT", "4000000000")).isEqualTo(OK);
        List<List<String>> cmds = a.aofCommands();
        assertThat(cmds).hasSize(4);
        assertThat(cmds.get(0)).containsExactly("SELECT", "0");
        assertThat(cmds.get(1).subList(0, 4)).containsExactly("SET", "k", "v", "PXAT");
        assertThat(Long.parseLong(cmds.get(1).get(4))).isBetween(before + 100_000 - 1000, before + 100_000 + 1000);
        assertThat(cmds.get(2).subList(0, 4)).containsExactly("SET", "p", "w", "PXAT");
        assertThat(Long.parseLong(cmds.get(2).get(4))).isBetween(before + 5000 - 1000, before + 5000 + 1000);
        assertThat(cmds.get(3)).containsExactly("SET", "q", "x", "PXAT", "4000000000000");
    }

    @Test
    void setPropagation() throws Exception {
        EngineFixture a = aof();
        a.run("SET", "k", "v");
        a.run("SET", "k", "w", "NX");          // refused: not logged
        a.run("SET", "k", "w", "GET", "XX", "get");
        a.run("SET", "k", "x", "KEEPTTL");
        a.run("SET", "k", "v", "EX", "0");     // error: not logged
        assertThat(a.aofCommands()).containsExactly(
                List.of("SELECT", "0"),
                List.of("SET", "k", "v"),
                List.of("SET", "k", "w", "XX"),
                List.of("SET", "k", "x", "KEEPTTL"));
    }

    @Test
    void setnx() {
        assertThat(f.run("SETNX", "k", "v")).isEqualTo(":1\r\n");
        assertThat(f.run("SETNX", "k", "w")).isEqualTo(":0\r\n");
        assertThat(f.run("GET", "k")).isEqualTo(bulk("v"));
        f.run("LPUSH", "l", "a");
        assertThat(f.run("SETNX", "l", "w")).isEqualTo(":0\r\n");
    }

    @Test
    void setexAndPsetex() throws Exception {
        EngineFixture a = aof();
        long before = System.currentTimeMillis();
        assertThat(a.run("SETEX", "k", "10", "v")).isEqualTo(OK);
        assertThat(a.run("TTL", "k")).isEqualTo(":10\r\n");
        assertThat(a.run("PSETEX", "p", "1500", "w")).isEqualTo(OK);
        assertThat(pttl(a, "p")).isBetween(1000L, 1500L);
        assertThat(a.run("GET", "p")).isEqualTo(bulk("w"));
        List<List<String>> cmds = a.aofCommands();
        assertThat(cmds).hasSize(3);
        assertThat(cmds.get(1).subList(0, 4)).containsExactly("SET", "k", "v", "PXAT");
        assertThat(Long.parseLong(cmds.get(1).get(4))).isBetween(before + 9000, before + 11_000);
        assertThat(cmds.get(2).subList(0, 4)).containsExactly("SET", "p", "w", "PXAT");
        assertThat(Long.parseLong(cmds.get(2).get(4))).isBetween(before + 500, before + 2500);
    }

    @Test
    void getsetReturnsOldValueClearsTtlAndIsLoggedAsSet() throws Exception {
        EngineFixture a = aof();
        assertThat(a.run("GETSET", "k", "v")).isEqualTo(NIL);
        a.run("EXPIRE", "k", "100");
        assertThat(a.run("GETSET", "k", "w")).isEqualTo(bulk("v"));
        assertThat(a.run("TTL", "k")).isEqualTo(":-1\r\n");
        assertThat(a.run("GET", "k")).isEqualTo(bulk("w"));
        a.run("RPUSH", "l", "x");
        assertThat(a.run("GETSET", "l", "y")).isEqualTo(WRONGTYPE);
        List<List<String>> cmds = a.aofCommands();
        assertThat(cmds.get(1)).containsExactly("SET", "k", "v");
        assertThat(cmds.get(3)).containsExactly("SET", "k", "w");
        assertThat(cmds).hasSize(5);
    }

    @Test
    void getdel() throws Exception {
        EngineFixture a = aof();
        a.run("SET", "k", "v");
        assertThat(a.run("GETDEL", "k")).isEqualTo(bulk("v"));
        assertThat(a.run("GETDEL", "k")).isEqualTo(NIL);
        assertThat(a.run("EXISTS", "k")).isEqualTo(":0\r\n");
        a.run("RPUSH", "l", "x");
        assertThat(a.run("GETDEL", "l")).isEqualTo(WRONGTYPE);
        assertThat(a.aofCommands()).containsExactly(
                List.of("SELECT", "0"), List.of("SET", "k", "v"), List.of("DEL", "k"), List.of("RPUSH", "l", "x"));
    }

    // ---- counters ----------------------------------------------------------------------------

    @Test
    void incrAndDecr() {
        assertThat(f.run("INCR", "k")).isEqualTo(":1\r\n");
        assertThat(f.run("INCR", "k")).isEqualTo(":2\r\n");
        assertThat(f.run("INCRBY", "k", "40")).isEqualTo(":42\r\n");
        assertThat(f.run("DECR", "k")).isEqualTo(":41\r\n");
        assertThat(f.run("DECRBY", "k", "50")).isEqualTo(":-9\r\n");
        assertThat(f.run("INCRBY", "k", "-1")).isEqualTo(":-10\r\n");
        assertThat(f.run("GET", "k")).isEqualTo(bulk("-10"));
        assertThat(f.run("DECR", "new")).isEqualTo(":-1\r\n");
    }

    @Test
    void incrRejectsNonCanonicalIntegers() {
        for (String bad : new String[] {"010", " 1", "+1", "1.5", "", "-0", "abc", "9223372036854775808", "1 "}) {
            f.run("SET", "n", bad);
            assertThat(f.run("INCR", "n")).as(bad).isEqualTo(NOT_INT);
            assertThat(f.run("GET", "n")).isEqualTo(bulk(bad));
        }
        f.run("SET", "n", "5");
        assertThat(f.run("INCRBY", "n", "abc")).isEqualTo(NOT_INT);
        assertThat(f.run("INCRBY", "n", "9223372036854775808")).isEqualTo(NOT_INT);
        assertThat(f.run("DECRBY", "n", "+1")).isEqualTo(NOT_INT);
        assertThat(f.run("GET", "n")).isEqualTo(bulk("5"));
    }

    @Test
    void incrOverflow() {
        f.run("SET", "n", "9223372036854775807");
        assertThat(f.run("INCR", "n")).isEqualTo(OVERFLOW);
        assertThat(f.run("INCRBY", "n", "1")).isEqualTo(OVERFLOW);
        assertThat(f.run("GET", "n")).isEqualTo(bulk("9223372036854775807"));
        f.run("SET", "n", "-9223372036854775808");
        assertThat(f.run("DECR", "n")).isEqualTo(OVERFLOW);
        assertThat(f.run("INCRBY", "n", "-1")).isEqualTo(OVERFLOW);
        assertThat(f.run("INCR", "n")).isEqualTo(":-9223372036854775807\r\n");
        assertThat(f.run("DECRBY", "n", "-9223372036854775808")).isEqualTo("-ERR decrement would overflow\r\n");
        assertThat(f.run("DECRBY", "x", "9223372036854775807")).isEqualTo(":-9223372036854775807\r\n");
        assertThat(f.run("DECR", "x")).isEqualTo(":-9223372036854775808\r\n");
        assertThat(f.run("DECR", "x")).isEqualTo(OVERFLOW);
        assertThat(f.run("INCRBY", "y", "-9223372036854775808")).isEqualTo(":-9223372036854775808\r\n");
    }

    @Test
    void incrKeepsTtlAndWrongType() {
        f.run("SET", "n", "5");
        f.run("PEXPIRE", "n", "100000");
        assertThat(f.run("INCR", "n")).isEqualTo(":6\r\n");
        assertThat(pttl(f, "n")).isBetween(99_000L, 100_000L);
        f.run("LPUSH", "l", "a");
        assertThat(f.run("INCR", "l")).isEqualTo(WRONGTYPE);
        assertThat(f.run("DECRBY", "l", "2")).isEqualTo(WRONGTYPE);
        assertThat(f.run("INCRBY", "l", "x")).isEqualTo(NOT_INT); // the increment is parsed first
    }

    @Test
    void failedIncrIsNotLogged() throws Exception {
        EngineFixture a = aof();
        a.run("SET", "n", "9223372036854775807");
        a.run("INCR", "n");
        a.run("INCRBY", "m", "7");
        assertThat(a.aofCommands()).containsExactly(
                List.of("SELECT", "0"), List.of("SET", "n", "9223372036854775807"), List.of("INCRBY", "m", "7"));
    }

    // ---- APPEND / STRLEN ---------------------------------------------------------------------

    @Test
    void appendAndStrlen() {
        assertThat(f.run("STRLEN", "a")).isEqualTo(":0\r\n");
        assertThat(f.run("APPEND", "a", "")).isEqualTo(":0\r\n");
        assertThat(f.run("EXISTS", "a")).isEqualTo(":1\r\n");
        assertThat(f.run("APPEND", "a", "xyz")).isEqualTo(":3\r\n");
        assertThat(f.run("APPEND", "a", "12")).isEqualTo(":5\r\n");
        assertThat(f.run("GET", "a")).isEqualTo(bulk("xyz12"));
        assertThat(f.run("STRLEN", "a")).isEqualTo(":5\r\n");
        f.run("LPUSH", "l", "a");
        assertThat(f.run("APPEND", "l", "x")).isEqualTo(WRONGTYPE);
        assertThat(f.run("STRLEN", "l")).isEqualTo(WRONGTYPE);
    }

    @Test
    void appendNeverChangesTheStoredArray() {
        f.run("SET", "a", "abc");
        byte[] before = (byte[]) f.engine.db(0).get(Key.of("a"));
        f.run("APPEND", "a", "def");
        assertThat(new String(before)).isEqualTo("abc");
        assertThat(f.run("GET", "a")).isEqualTo(bulk("abcdef"));
    }

    @Test
    void appendKeepsTtl() {
        f.run("SET", "a", "x", "EX", "100");
        f.run("APPEND", "a", "y");
        assertThat(f.run("TTL", "a")).isEqualTo(":100\r\n");
    }

    // ---- MGET / MSET / MSETNX ----------------------------------------------------------------

    @Test
    void mgetGivesNilForMissingAndWrongType() {
        f.run("SET", "a", "1");
        f.run("SET", "b", "2");
        f.run("LPUSH", "l", "x");
        assertThat(f.run("MGET", "a", "l", "nokey", "b")).isEqualTo(arr("1", null, null, "2"));
    }

    @Test
    void msetAndMsetnx() {
        assertThat(f.run("MSET", "a", "1", "b")).isEqualTo("-ERR wrong number of arguments for 'mset' command\r\n");
        assertThat(f.run("MSETNX", "a", "1", "b")).isEqualTo("-ERR wrong number of arguments for 'msetnx' command\r\n");
        f.run("SET", "a", "0", "EX", "100");
        assertThat(f.run("MSET", "a", "1", "b", "2")).isEqualTo(OK);
        assertThat(f.run("TTL", "a")).isEqualTo(":-1\r\n");
        assertThat(f.run("MGET", "a", "b")).isEqualTo(arr("1", "2"));
        assertThat(f.run("MSETNX", "a", "x", "c", "3")).isEqualTo(":0\r\n");
        assertThat(f.run("EXISTS", "c")).isEqualTo(":0\r\n");
        assertThat(f.run("MSETNX", "c", "3", "d", "4")).isEqualTo(":1\r\n");
        assertThat(f.run("MSETNX", "e", "1", "e", "2")).isEqualTo(":1\r\n");
        assertThat(f.run("MGET", "a", "c", "d", "e")).isEqualTo(arr("1", "3", "4", "2"));
    }

    // ---- expiry, WATCH, flags ----------------------------------------------------------------

    @Test
    void expiredKeyReadsAsMissingAndItsDeletionIsLogged() throws Exception {
        EngineFixture a = aof();
        a.run("SET", "k", "v");
        assertThat(a.run("PEXPIREAT", "k", "1")).isEqualTo(":1\r\n");
        assertThat(a.run("GET", "k")).isEqualTo(NIL);
        a.run("SET", "e", "v", "PXAT", "1");
        assertThat(a.run("INCR", "e")).isEqualTo(":1\r\n");
        assertThat(a.run("TTL", "e")).isEqualTo(":-1\r\n");
        assertThat(a.aofCommands()).containsExactly(
                List.of("SELECT", "0"),
                List.of("SET", "k", "v"),
                List.of("DEL", "k"),
                List.of("SET", "e", "v", "PXAT", "1"),
                // As Redis 7.0: the lazy deletion and the write that caused it are one record.
                List.of("MULTI"),
                List.of("DEL", "e"),
                List.of("INCR", "e"),
                List.of("EXEC"));
    }

    @Test
    void writesSignalWatchers() {
        f.run("SET", "k", "v");
        f.engine.watch(f.client, 0, Key.of("k"));
        f.run("GET", "k");
        f.run("SET", "k", "v", "NX");
        assertThat(f.client.dirtyCas).isFalse();
        f.run("INCRBY", "k", "x");
        assertThat(f.client.dirtyCas).isFalse();
        f.run("APPEND", "k", "1");
        assertThat(f.client.dirtyCas).isTrue();
        f.engine.unwatchAll(f.client);
        f.engine.watch(f.client, 0, Key.of("m"));
        f.run("MSET", "x", "1", "m", "2");
        assertThat(f.client.dirtyCas).isTrue();
    }

    @Test
    void flagsAndKeyPositionsAsRedis() {
        CommandTable t = f.engine.commands;
        assertThat(t.lookup("get").flags()).containsExactlyInAnyOrder(Flag.READONLY, Flag.FAST);
        assertThat(t.lookup("set").flags()).containsExactlyInAnyOrder(Flag.WRITE, Flag.DENYOOM);
        assertThat(t.lookup("getdel").flags()).containsExactlyInAnyOrder(Flag.WRITE, Flag.FAST);
        assertThat(t.lookup("incr").flags()).containsExactlyInAnyOrder(Flag.WRITE, Flag.DENYOOM, Flag.FAST);
        CommandSpec mset = t.lookup("mset");
        assertThat(List.of(mset.arity(), mset.firstKey(), mset.lastKey(), mset.step())).containsExactly(-3, 1, -1, 2);
    }
}
