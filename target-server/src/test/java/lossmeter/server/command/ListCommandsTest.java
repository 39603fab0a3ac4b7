package lossmeter.server.command;

import static lossmeter.server.command.StringCommandsTest.arr;
import static lossmeter.server.command.StringCommandsTest.bulk;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import lossmeter.server.command.CommandSpec.Flag;
import lossmeter.server.keyspace.Key;
import org.junit.jupiter.api.Test;

/** Replies and error texts checked against Redis 7.0.15. */
class ListCommandsTest extends CommandTestBase {


    private String all(String key) {
        return f.run("LRANGE", key, "0", "-1");
    }

    private static String ints(long... v) {
        StringBuilder sb = new StringBuilder("*" + v.length + "\r\n");
        for (long x : v) sb.append(':').append(x).append("\r\n");
        return sb.toString();
    }

    // ---- push --------------------------------------------------------------------------------

    @Test
    void pushes() {
        assertThat(f.run("LPUSH", "l", "a", "b", "c")).isEqualTo(":3\r\n");
        assertThat(all("l")).isEqualTo(arr("c", "b", "a"));
        assertThat(f.run("RPUSH", "l", "d", "e")).isEqualTo(":5\r\n");
        assertThat(all("l")).isEqualTo(arr("c", "b", "a", "d", "e"));
        assertThat(f.run("LPUSHX", "nokey", "a")).isEqualTo(":0\r\n");
        assertThat(f.run("RPUSHX", "nokey", "a", "b")).isEqualTo(":0\r\n");
        assertThat(f.run("EXISTS", "nokey")).isEqualTo(":0\r\n");
        assertThat(f.run("RPUSHX", "l", "f")).isEqualTo(":6\r\n");
        assertThat(f.run("LPUSHX", "l", "z", "y")).isEqualTo(":8\r\n");
        assertThat(all("l")).isEqualTo(arr("y", "z", "c", "b", "a", "d", "e", "f"));
        assertThat(f.run("LPUSH", "l")).isEqualTo("-ERR wrong number of arguments for 'lpush' command\r\n");
    }

    @Test
    void manyPushesAndPops() {
        for (int i = 0; i < 1000; i++) f.run(i % 2 == 0 ? "RPUSH" : "LPUSH", "l", Integer.toString(i));
        assertThat(f.run("LLEN", "l")).isEqualTo(":1000\r\n");
        assertThat(f.run("LINDEX", "l", "0")).isEqualTo(bulk("999"));
        assertThat(f.run("LINDEX", "l", "-1")).isEqualTo(bulk("998"));
        for (int i = 0; i < 990; i++) f.run(i % 3 == 0 ? "RPOP" : "LPOP", "l");
        assertThat(f.run("LLEN", "l")).isEqualTo(":10\r\n");
    }

    @Test
    void wrongType() {
        f.run("SET", "s", "v");
        for (String[] cmd : new String[][] {
                {"LPUSH", "s", "a"}, {"RPUSH", "s", "a"}, {"LPUSHX", "s", "a"}, {"RPUSHX", "s", "a"},
                {"LPOP", "s"}, {"RPOP", "s", "0"}, {"LRANGE", "s", "0", "1"}, {"LLEN", "s"},
                {"LINDEX", "s", "0"}, {"LINDEX", "s", "abc"}, {"LSET", "s", "0", "x"}, {"LTRIM", "s", "0", "1"},
                {"LREM", "s", "1", "a"}, {"LINSERT", "s", "BEFORE", "a", "b"}, {"LPOS", "s", "a"}}) {
            assertThat(f.run(cmd)).as(String.join(" ", cmd)).isEqualTo(WRONGTYPE);
        }
        assertThat(f.run("GET", "s")).isEqualTo(bulk("v"));
    }

    // ---- pop ---------------------------------------------------------------------------------

    @Test
    void pops() {
        f.run("RPUSH", "l", "a", "b", "c", "d", "e", "f");
        assertThat(f.run("LPOP", "l")).isEqualTo(bulk("a"));
        assertThat(f.run("RPOP", "l")).isEqualTo(bulk("f"));
        assertThat(f.run("RPOP", "l", "2")).isEqualTo(arr("e", "d"));
        assertThat(f.run("LPOP", "l", "0")).isEqualTo(EMPTY);
        assertThat(f.run("LPOP", "l", "10")).isEqualTo(arr("b", "c"));
        assertThat(f.run("EXISTS", "l")).isEqualTo(":0\r\n");
        assertThat(f.run("LPOP", "l")).isEqualTo(NIL);
        assertThat(f.run("LPOP", "l", "1")).isEqualTo("*-1\r\n");
        assertThat(f.run("RPOP", "l", "0")).isEqualTo("*-1\r\n");
    }

    @Test
    void popArgumentErrors() {
        f.run("RPUSH", "l", "a");
        assertThat(f.run("LPOP", "l", "-1")).isEqualTo(POSITIVE);
        assertThat(f.run("LPOP", "l", "abc")).isEqualTo(POSITIVE);
        assertThat(f.run("RPOP", "nokey", "-1")).isEqualTo(POSITIVE);
        assertThat(f.run("LPOP", "l", "1", "2")).isEqualTo("-ERR wrong number of arguments for 'lpop' command\r\n");
        assertThat(f.run("LLEN", "l")).isEqualTo(":1\r\n");
    }

    @Test
    void popPropagation() throws Exception {
        EngineFixture a = aof();
        assertThat(a.run("LPOP", "nokey")).isEqualTo(NIL);
        assertThat(a.run("RPOP", "nokey", "3")).isEqualTo("*-1\r\n");
        a.run("RPUSH", "l", "a", "b");
        assertThat(a.run("LPOP", "l", "0")).isEqualTo(EMPTY);
        a.run("RPOP", "l");
        a.run("LPOP", "l", "5");
        assertThat(a.aofCommands()).containsExactly(
                List.of("SELECT", "0"), List.of("RPUSH", "l", "a", "b"), List.of("RPOP", "l"), List.of("LPOP", "l", "5"));
    }

    // ---- LRANGE / LLEN / LINDEX --------------------------------------------------------------

    @Test
    void lrangeClampsAsRedis() {
        f.run("RPUSH", "l", "a", "b", "c", "d", "e");
        assertThat(f.run("LRANGE", "l", "-100", "100")).isEqualTo(arr("a", "b", "c", "d", "e"));
        assertThat(f.run("LRANGE", "l", "1", "2")).isEqualTo(arr("b", "c"));
        assertThat(f.run("LRANGE", "l", "-2", "-1")).isEqualTo(arr("d", "e"));
        assertThat(f.run("LRANGE", "l", "2", "1")).isEqualTo(EMPTY);
        assertThat(f.run("LRANGE", "l", "5", "10")).isEqualTo(EMPTY);
        assertThat(f.run("LRANGE", "l", "0", "-6")).isEqualTo(EMPTY);
        assertThat(f.run("LRANGE", "l", "-9223372036854775808", "9223372036854775807")).isEqualTo(arr("a", "b", "c", "d", "e"));
        assertThat(f.run("LRANGE", "l", "abc", "1")).isEqualTo(NOT_INT);
        assertThat(f.run("LRANGE", "nokey", "abc", "1")).isEqualTo(NOT_INT);
        assertThat(f.run("LRANGE", "nokey", "0", "1")).isEqualTo(EMPTY);
    }

    @Test
    void llenAndLindex() {
        assertThat(f.run("LLEN", "nokey")).isEqualTo(":0\r\n");
        assertThat(f.run("LINDEX", "nokey", "abc")).isEqualTo(NIL); // the key is looked up first
        f.run("RPUSH", "l", "a", "b", "c");
        assertThat(f.run("LLEN", "l")).isEqualTo(":3\r\n");
        assertThat(f.run("LINDEX", "l", "0")).isEqualTo(bulk("a"));
        assertThat(f.run("LINDEX", "l", "-1")).isEqualTo(bulk("c"));
        assertThat(f.run("LINDEX", "l", "-3")).isEqualTo(bulk("a"));
        assertThat(f.run("LINDEX", "l", "3")).isEqualTo(NIL);
        assertThat(f.run("LINDEX", "l", "-4")).isEqualTo(NIL);
        assertThat(f.run("LINDEX", "l", "abc")).isEqualTo(NOT_INT);
    }

    // ---- LSET / LTRIM / LREM / LINSERT -------------------------------------------------------

    @Test
    void lset() {
        assertThat(f.run("LSET", "nokey", "0", "x")).isEqualTo("-ERR no such key\r\n");
        assertThat(f.run("LSET", "nokey", "abc", "x")).isEqualTo("-ERR no such key\r\n");
        f.run("RPUSH", "l", "a", "b", "c");
        assertThat(f.run("LSET", "l", "5", "x")).isEqualTo("-ERR index out of range\r\n");
        assertThat(f.run("LSET", "l", "-4", "x")).isEqualTo("-ERR index out of range\r\n");
        assertThat(f.run("LSET", "l", "abc", "x")).isEqualTo(NOT_INT);
        assertThat(f.run("LSET", "l", "-1", "z")).isEqualTo(OK);
        assertThat(f.run("LSET", "l", "0", "y")).isEqualTo(OK);
        assertThat(all("l")).isEqualTo(arr("y", "b", "z"));
    }

    @Test
    void lsetKeepsTtlAndOldListUnchanged() {
        f.run("RPUSH", "l", "a", "b");
        f.run("EXPIRE", "l", "100");
        Object before = f.engine.db(0).get(Key.of("l"));
        f.run("LSET", "l", "0", "x");
        assertThat(before.toString()).isEqualTo("[a, b]");
        assertThat(f.run("TTL", "l")).isEqualTo(":100\r\n");
    }

    @Test
    void ltrim() throws Exception {
        EngineFixture a = aof();
        assertThat(a.run("LTRIM", "nokey", "0", "1")).isEqualTo(OK);
        a.run("RPUSH", "l", "a", "b", "c", "d", "e");
        assertThat(a.run("LTRIM", "l", "abc", "1")).isEqualTo(NOT_INT);
        assertThat(a.run("LTRIM", "l", "0", "-1")).isEqualTo(OK);     // nothing removed: not logged
        assertThat(a.run("LTRIM", "l", "1", "-2")).isEqualTo(OK);
        assertThat(a.run("LRANGE", "l", "0", "-1")).isEqualTo(arr("b", "c", "d"));
        assertThat(a.run("LTRIM", "l", "-2", "100")).isEqualTo(OK);
        assertThat(a.run("LRANGE", "l", "0", "-1")).isEqualTo(arr("c", "d"));
        assertThat(a.run("LTRIM", "l", "1", "0")).isEqualTo(OK);
        assertThat(a.run("EXISTS", "l")).isEqualTo(":0\r\n");
        assertThat(a.aofCommands()).containsExactly(
                List.of("SELECT", "0"), List.of("RPUSH", "l", "a", "b", "c", "d", "e"),
                List.of("LTRIM", "l", "1", "-2"), List.of("LTRIM", "l", "-2", "100"), List.of("LTRIM", "l", "1", "0"));
    }

    @Test
    void lrem() throws Exception {
        EngineFixture a = aof();
        a.run("RPUSH", "l", "a", "b", "a", "c", "a");
        assertThat(a.run("LREM", "l", "abc", "a")).isEqualTo(NOT_INT);
        assertThat(a.run("LREM", "nokey", "abc", "a")).isEqualTo(NOT_INT);
        assertThat(a.run("LREM", "nokey", "1", "a")).isEqualTo(":0\r\n");
        assertThat(a.run("LREM", "l", "0", "zz")).isEqualTo(":0\r\n");
        assertThat(a.run("LREM", "l", "-2", "a")).isEqualTo(":2\r\n");
        assertThat(a.run("LRANGE", "l", "0", "-1")).isEqualTo(arr("a", "b", "c"));
        a.run("RPUSH", "l", "a", "b");
        assertThat(a.run("LREM", "l", "1", "b")).isEqualTo(":1\r\n");
        assertThat(a.run("LRANGE", "l", "0", "-1")).isEqualTo(arr("a", "c", "a", "b"));
        assertThat(a.run("LREM", "l", "0", "a")).isEqualTo(":2\r\n");
        assertThat(a.run("LREM", "l", "-9223372036854775808", "b")).isEqualTo(":1\r\n");
        assertThat(a.run("LREM", "l", "1", "c")).isEqualTo(":1\r\n");
        assertThat(a.run("EXISTS", "l")).isEqualTo(":0\r\n");
        List<List<String>> cmds = a.aofCommands();
        assertThat(cmds).hasSize(8);
        assertThat(cmds.get(2)).containsExactly("LREM", "l", "-2", "a");
    }

    @Test
    void linsert() {
        assertThat(f.run("LINSERT", "l", "middle", "c", "x")).isEqualTo(SYNTAX);
        assertThat(f.run("LINSERT", "nokey", "before", "c", "x")).isEqualTo(":0\r\n");
        f.run("RPUSH", "l", "a", "c", "c");
        assertThat(f.run("LINSERT", "l", "before", "zz", "x")).isEqualTo(":-1\r\n");
        assertThat(f.run("LINSERT", "l", "BEFORE", "c", "x")).isEqualTo(":4\r\n");
        assertThat(f.run("LINSERT", "l", "after", "c", "y")).isEqualTo(":5\r\n");
        assertThat(f.run("LINSERT", "l", "After", "c", "z")).isEqualTo(":6\r\n");
        assertThat(all("l")).isEqualTo(arr("a", "x", "c", "z", "y", "c"));
    }

    // ---- LPOS --------------------------------------------------------------------------------

    @Test
    void lpos() {
        f.run("RPUSH", "p", "a", "b", "c", "a", "b", "c", "a");
        assertThat(f.run("LPOS", "p", "a")).isEqualTo(":0\r\n");
        assertThat(f.run("LPOS", "p", "a", "RANK", "2")).isEqualTo(":3\r\n");
        assertThat(f.run("LPOS", "p", "a", "rank", "-1")).isEqualTo(":6\r\n");
        assertThat(f.run("LPOS", "p", "c", "RANK", "3")).isEqualTo(NIL);
        assertThat(f.run("LPOS", "p", "a", "COUNT", "0")).isEqualTo(ints(0, 3, 6));
        assertThat(f.run("LPOS", "p", "a", "COUNT", "2")).isEqualTo(ints(0, 3));
        assertThat(f.run("LPOS", "p", "a", "COUNT", "2", "RANK", "-1")).isEqualTo(ints(6, 3));
        assertThat(f.run("LPOS", "p", "a", "MAXLEN", "3", "COUNT", "0")).isEqualTo(ints(0));
        assertThat(f.run("LPOS", "p", "a", "RANK", "2", "COUNT", "0", "MAXLEN", "4")).isEqualTo(ints(3));
        assertThat(f.run("LPOS", "p", "zz")).isEqualTo(NIL);
        assertThat(f.run("LPOS", "p", "zz", "COUNT", "1")).isEqualTo(EMPTY);
        assertThat(f.run("LPOS", "nokey", "a")).isEqualTo(NIL);
        assertThat(f.run("LPOS", "nokey", "a", "COUNT", "1")).isEqualTo(EMPTY);
        assertThat(f.run("LPOS", "p", "a", "RANK", "-9223372036854775808")).isEqualTo(":6\r\n");
        assertThat(f.run("LPOS", "p", "a", "RANK", "-9223372036854775808", "COUNT", "1")).isEqualTo(ints(6, 3, 0));
    }

    @Test
    void lposErrors() {
        String rankZero = "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
                + "or use negative to start from the end of the list\r\n";
        assertThat(f.run("LPOS", "p", "a", "RANK", "0")).isEqualTo(rankZero);
        assertThat(f.run("LPOS", "p", "a", "RANK", "abc")).isEqualTo(NOT_INT);
        assertThat(f.run("LPOS", "p", "a", "COUNT", "-1")).isEqualTo("-ERR COUNT can't be negative\r\n");
        assertThat(f.run("LPOS", "p", "a", "COUNT", "abc")).isEqualTo("-ERR COUNT can't be negative\r\n");
        assertThat(f.run("LPOS", "p", "a", "MAXLEN", "-1")).isEqualTo("-ERR MAXLEN can't be negative\r\n");
        assertThat(f.run("LPOS", "p", "a", "RANK")).isEqualTo(SYNTAX);
        assertThat(f.run("LPOS", "p", "a", "foo", "1")).isEqualTo(SYNTAX);
    }

    // ---- expiry, WATCH, flags ----------------------------------------------------------------

    @Test
    void expiredListIsGoneAndDelIsLogged() throws Exception {
        EngineFixture a = aof();
        a.run("RPUSH", "l", "a", "b");
        assertThat(a.run("PEXPIREAT", "l", "1")).isEqualTo(":1\r\n");
        assertThat(a.run("LLEN", "l")).isEqualTo(":0\r\n");
        a.run("RPUSH", "m", "a");
        a.run("PEXPIRE", "m", "100000");
        a.engine.db(0).setExpire(Key.of("m"), 1);
        assertThat(a.run("LPUSH", "m", "x")).isEqualTo(":1\r\n"); // a fresh list, without TTL
        assertThat(a.run("TTL", "m")).isEqualTo(":-1\r\n");
        List<List<String>> cmds = a.aofCommands();
        assertThat(cmds.get(2)).containsExactly("DEL", "l");
        assertThat(cmds.subList(cmds.size() - 4, cmds.size())).containsExactly(List.of("MULTI"), List.of("DEL", "m"), List.of("LPUSH", "m", "x"), List.of("EXEC"));
    }

    @Test
    void writesSignalWatchers() {
        f.run("RPUSH", "l", "a");
        f.engine.watch(f.client, 0, Key.of("l"));
        f.run("LRANGE", "l", "0", "-1");
        f.run("LREM", "l", "0", "zz");
        f.run("LINSERT", "l", "BEFORE", "zz", "x");
        f.run("LPOP", "l", "0");
        assertThat(f.client.dirtyCas).isFalse();
        f.run("LPOP", "l");
        assertThat(f.client.dirtyCas).isTrue();
    }

    @Test
    void flagsAsRedis() {
        CommandTable t = f.engine.commands;
        assertThat(t.lookup("lpush").flags()).containsExactlyInAnyOrder(Flag.WRITE, Flag.DENYOOM, Flag.FAST);
        assertThat(t.lookup("lpop").flags()).containsExactlyInAnyOrder(Flag.WRITE, Flag.FAST);
        assertThat(t.lookup("lrange").flags()).containsExactlyInAnyOrder(Flag.READONLY);
        assertThat(t.lookup("linsert").flags()).containsExactlyInAnyOrder(Flag.WRITE, Flag.DENYOOM);
    }
}
