package lossmeter.server.command;

import static lossmeter.server.command.StringCommandsTest.bulk;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import lossmeter.server.keyspace.Key;
import org.junit.jupiter.api.Test;

/** Replies and error texts checked against Redis 7.0.15. */
class KeyCommandsTest extends CommandTestBase {


    /** SCAN's reply (*2 $cursor *n $key…) as [cursor, [keys]]. */
    private static List<Object> parse(String reply) {
        String[] lines = reply.split("\r\n", -1);
        assertThat(lines[0]).isEqualTo("*2");
        int n = Integer.parseInt(lines[3].substring(1));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) keys.add(lines[5 + 2 * i]);
        return List.of(lines[2], keys);
    }

    @SuppressWarnings("unchecked")
    private static List<String> scanKeys(List<Object> r) {
        return (List<String>) r.get(1);
    }

    // ---- DEL / UNLINK / EXISTS / TYPE --------------------------------------------------------

    @Test
    void delCountsDeletedKeysOnce() {
        f.run("MSET", "a", "1", "b", "2");
        f.run("RPUSH", "l", "x");
        assertThat(f.run("DEL", "a", "nokey", "a", "l")).isEqualTo(":2\r\n");
        assertThat(f.run("UNLINK", "b", "nokey")).isEqualTo(ONE);
        assertThat(f.run("DEL", "nokey")).isEqualTo(ZERO);
        assertThat(f.run("DEL")).isEqualTo("-ERR wrong number of arguments for 'del' command\r\n");
        assertThat(f.engine.db(0).size()).isZero();
    }

    @Test
    void delOfMissingKeyLogsNothing() throws Exception {
        EngineFixture a = aof();
        assertThat(a.run("DEL", "nokey")).isEqualTo(ZERO);
        a.run("SET", "a", "1");
        assertThat(a.run("DEL", "a", "nokey")).isEqualTo(ONE);
        assertThat(a.run("UNLINK", "a")).isEqualTo(ZERO);
        assertThat(a.aofCommands()).containsExactly(
                List.of("SELECT", "0"), List.of("SET", "a", "1"), List.of("DEL", "a", "nokey"));
    }

    @Test
    void existsCountsDuplicates() {
        f.run("SET", "a", "1");
        f.run("RPUSH", "l", "x");
        assertThat(f.run("EXISTS", "a", "a", "nokey", "l")).isEqualTo(":3\r\n");
        assertThat(f.run("EXISTS", "nokey")).isEqualTo(ZERO);
    }

    @Test
    void type() {
        f.run("SET", "s", "1");
        f.run("RPUSH", "l", "x");
        assertThat(f.run("TYPE", "s")).isEqualTo("+string\r\n");
        assertThat(f.run("TYPE", "l")).isEqualTo("+list\r\n");
        assertThat(f.run("TYPE", "nokey")).isEqualTo("+none\r\n");
    }

    // ---- KEYS / SCAN / RANDOMKEY -------------------------------------------------------------

    @Test
    void keysMatchesGlobAndSkipsExpiredKeys() {
        f.run("MSET", "foo", "1", "fao", "2", "bar", "3", "f[x", "4");
        f.run("SET", "fee", "5", "PXAT", "1");
        assertThat(sorted(f.run("KEYS", "*"))).containsExactly("bar", "f[x", "fao", "foo");
        assertThat(sorted(f.run("KEYS", "f?o"))).containsExactly("fao", "foo");
        assertThat(sorted(f.run("KEYS", "f[a-n]*"))).containsExactly("fao");
        assertThat(sorted(f.run("KEYS", "f\\[*"))).containsExactly("f[x");
        assertThat(f.run("KEYS", "zz*")).isEqualTo("*0\r\n");
    }

    private static List<String> sorted(String arrayReply) {
        String[] lines = arrayReply.split("\r\n");
        List<String> out = new ArrayList<>();
        for (int i = 2; i < lines.length; i += 2) out.add(lines[i]);
        out.sort(null);
        return out;
    }

    @Test
    void scanVisitsEveryKeyExactlyOnce() throws Exception {
        for (int i = 0; i < 1000; i++) f.run("SET", "key:" + i, "v");
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            List<Object> r = parse(f.run("SCAN", cursor, "COUNT", "10"));
            cursor = (String) r.get(0);
            for (String k : scanKeys(r)) assertThat(seen.add(k)).as("returned twice: " + k).isTrue();
            calls++;
        } while (!cursor.equals("0"));
        assertThat(seen).hasSize(1000);
        assertThat(calls).isGreaterThan(50);
    }

    @Test
    void scanMatchAndTypeFilter() throws Exception {
        for (int i = 0; i < 100; i++) f.run("SET", "s" + i, "v");
        for (int i = 0; i < 50; i++) f.run("RPUSH", "l" + i, "v");
        assertThat(scanAll("MATCH", "s1*")).hasSize(11);
        assertThat(scanAll("TYPE", "list")).hasSize(50).allMatch(k -> k.startsWith("l"));
        assertThat(scanAll("TYPE", "STRING")).hasSize(100);
        assertThat(scanAll("TYPE", "list", "MATCH", "l4*")).hasSize(11);
        assertThat(scanAll("TYPE", "nonexistenttype")).isEmpty();
        assertThat(scanAll("MATCH", "*", "COUNT", "1000")).hasSize(150);
    }

    private List<String> scanAll(String... options) throws Exception {
        List<String> all = new ArrayList<>();
        String cursor = "0";
        do {
            List<String> args = new ArrayList<>(List.of("SCAN", cursor));
            args.addAll(List.of(options));
            List<Object> r = parse(f.run(args.toArray(String[]::new)));
            cursor = (String) r.get(0);
            all.addAll(scanKeys(r));
        } while (!cursor.equals("0"));
        return all;
    }

    @Test
    void scanArgumentErrors() {
        assertThat(f.run("SCAN", "abc")).isEqualTo("-ERR invalid cursor\r\n");
        assertThat(f.run("SCAN", " 0")).isEqualTo("-ERR invalid cursor\r\n");
        assertThat(f.run("SCAN", "0x1")).isEqualTo("-ERR invalid cursor\r\n");
        assertThat(f.run("SCAN", "18446744073709551616")).isEqualTo("-ERR invalid cursor\r\n");
        assertThat(f.run("SCAN", "0", "COUNT", "0")).isEqualTo(SYNTAX);
        assertThat(f.run("SCAN", "0", "COUNT", "-1")).isEqualTo(SYNTAX);
        assertThat(f.run("SCAN", "0", "COUNT", "abc")).isEqualTo(NOT_INT);
        assertThat(f.run("SCAN", "0", "MATCH")).isEqualTo(SYNTAX);
        assertThat(f.run("SCAN", "0", "foo", "bar")).isEqualTo(SYNTAX);
        assertThat(f.run("SCAN")).isEqualTo("-ERR wrong number of arguments for 'scan' command\r\n");
    }

    @Test
    void scanCursorSyntaxAsStrtoul() {
        f.run("SET", "k", "v");
        String all = "*2\r\n$1\r\n0\r\n*1\r\n$1\r\nk\r\n";
        assertThat(f.run("SCAN", "0")).isEqualTo(all);
        assertThat(f.run("SCAN", "")).isEqualTo(all);
        assertThat(f.run("SCAN", "+0")).isEqualTo(all);
        assertThat(f.run("SCAN", "-1")).isEqualTo("*2\r\n$1\r\n0\r\n*0\r\n");
        assertThat(f.run("SCAN", "18446744073709551615")).isEqualTo("*2\r\n$1\r\n0\r\n*0\r\n");
    }

    @Test
    void scanDeletesExpiredKeysAndLogsDel() throws Exception {
        EngineFixture a = aof();
        a.run("SET", "k", "v", "PXAT", "1");
        assertThat(a.run("SCAN", "0")).isEqualTo("*2\r\n$1\r\n0\r\n*0\r\n");
        assertThat(a.engine.db(0).size()).isZero();
        assertThat(a.aofCommands()).containsExactly(
                List.of("SELECT", "0"), List.of("SET", "k", "v", "PXAT", "1"), List.of("DEL", "k"));
    }

    @Test
    void randomkey() {
        assertThat(f.run("RANDOMKEY")).isEqualTo(NIL);
        f.run("SET", "k", "v");
        assertThat(f.run("RANDOMKEY")).isEqualTo(bulk("k"));
        f.run("SET", "gone", "v", "PXAT", "1");
        for (int i = 0; i < 20; i++) assertThat(f.run("RANDOMKEY")).isEqualTo(bulk("k"));
        f.run("DEL", "k");
        assertThat(f.run("RANDOMKEY")).isEqualTo(NIL);
    }

    // ---- RENAME / RENAMENX -------------------------------------------------------------------

    @Test
    void renameErrorsAndSameKey() {
        assertThat(f.run("RENAME", "nokey", "x")).isEqualTo("-ERR no such key\r\n");
        assertThat(f.run("RENAMENX", "nokey", "x")).isEqualTo("-ERR no such key\r\n");
        assertThat(f.run("RENAME", "nokey", "nokey")).isEqualTo("-ERR no such key\r\n");
        f.run("SET", "c", "1");
        assertThat(f.run("RENAME", "c", "c")).isEqualTo(OK);
        assertThat(f.run("RENAMENX", "c", "c")).isEqualTo(ZERO);
        assertThat(f.run("GET", "c")).isEqualTo(bulk("1"));
    }

    @Test
    void renameMovesValueAndTtl() throws Exception {
        EngineFixture a = aof();
        a.run("SET", "c", "3");
        a.run("PEXPIRE", "c", "100000");
        a.run("RPUSH", "d", "x");
        assertThat(a.run("RENAMENX", "c", "d")).isEqualTo(ZERO);
        assertThat(a.run("RENAME", "c", "d")).isEqualTo(OK);
        assertThat(a.run("EXISTS", "c")).isEqualTo(ZERO);
        assertThat(a.run("GET", "d")).isEqualTo(bulk("3"));
        assertThat(StringCommandsTest.pttl(a, "d")).isBetween(99_000L, 100_000L);
        assertThat(a.run("RENAMENX", "d", "e")).isEqualTo(ONE);
        assertThat(StringCommandsTest.pttl(a, "e")).isBetween(99_000L, 100_000L);
        a.run("SET", "p", "1");
        a.run("RENAME", "p", "e");
        assertThat(a.run("TTL", "e")).isEqualTo(":-1\r\n");
        List<List<String>> cmds = a.aofCommands();
        assertThat(cmds.subList(4, cmds.size())).containsExactly(
                List.of("RENAME", "c", "d"), List.of("RENAMENX", "d", "e"), List.of("SET", "p", "1"), List.of("RENAME", "p", "e"));
    }

    // ---- EXPIRE family -----------------------------------------------------------------------

    @Test
    void expireOnMissingKeyAndArgumentErrors() throws Exception {
        EngineFixture a = aof();
        assertThat(a.run("EXPIRE", "nokey", "10")).isEqualTo(ZERO);
        assertThat(a.run("PEXPIREAT", "nokey", "1")).isEqualTo(ZERO);
        assertThat(a.run("EXPIRE", "nokey", "abc")).isEqualTo(NOT_INT);
        assertThat(a.run("EXPIRE", "nokey", "10", "foo")).isEqualTo("-ERR Unsupported option foo\r\n");
        assertThat(a.run("EXPIRE", "nokey", "abc", "foo")).isEqualTo("-ERR Unsupported option foo\r\n");
        String nxConflict = "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n";
        assertThat(a.run("EXPIRE", "k", "10", "nx", "xx")).isEqualTo(nxConflict);
        assertThat(a.run("EXPIRE", "k", "10", "NX", "GT")).isEqualTo(nxConflict);
        assertThat(a.run("EXPIRE", "k", "10", "lt", "nx")).isEqualTo(nxConflict);
        assertThat(a.run("EXPIRE", "k", "10", "gt", "lt")).isEqualTo("-ERR GT and LT options at the same time are not compatible\r\n");
        assertThat(a.run("EXPIRE", "k", "9223372036854775807")).isEqualTo("-ERR invalid expire time in 'expire' command\r\n");
        assertThat(a.run("EXPIRE", "k", "9223372036854775")).isEqualTo("-ERR invalid expire time in 'expire' command\r\n");
        assertThat(a.run("EXPIRE", "k", "-9223372036854775807")).isEqualTo("-ERR invalid expire time in 'expire' command\r\n");
        assertThat(a.run("PEXPIRE", "k", "9223372036854775807")).isEqualTo("-ERR invalid expire time in 'pexpire' command\r\n");
        assertThat(a.run("EXPIREAT", "k", "9223372036854775807")).isEqualTo("-ERR invalid expire time in 'expireat' command\r\n");
        assertThat(a.aofCommands()).isEmpty();
    }

    @Test
    void expireIsLoggedAsPexpireat() throws Exception {
        EngineFixture a = aof();
        a.run("SET", "k", "v");
        long before = System.currentTimeMillis();
        assertThat(a.run("EXPIRE", "k", "10")).isEqualTo(ONE);
        assertThat(a.run("TTL", "k")).isEqualTo(":10\r\n");
        assertThat(a.run("PEXPIRE", "k", "20000", "XX")).isEqualTo(ONE);
        assertThat(a.run("EXPIREAT", "k", "4000000000")).isEqualTo(ONE);
        assertThat(a.run("PEXPIREAT", "k", "4000000000500")).isEqualTo(ONE);
        assertThat(a.run("EXPIRETIME", "k")).isEqualTo(":4000000001\r\n");
        List<List<String>> cmds = a.aofCommands();
        assertThat(cmds).hasSize(6);
        assertThat(cmds.get(0)).containsExactly("SELECT", "0");
        assertThat(cmds.get(2).subList(0, 2)).containsExactly("PEXPIREAT", "k");
        assertThat(Long.parseLong(cmds.get(2).get(2))).isBetween(before + 9000, before + 11_000);
        assertThat(cmds.get(3)).hasSize(4);
        assertThat(cmds.get(3).get(3)).isEqualTo("XX");
        assertThat(Long.parseLong(cmds.get(3).get(2))).isBetween(before + 19_000, before + 21_000);
        assertThat(cmds.get(4)).containsExactly("PEXPIREAT", "k", "4000000000000");
        assertThat(cmds.get(5)).containsExactly("PEXPIREAT", "k", "4000000000500");
    }

    @Test
    void expireInThePastDeletesAndIsLoggedAsDel() throws Exception {
        EngineFixture a = aof();
        a.run("SET", "k", "v");
        a.run("SET", "p", "v");
        a.run("SET", "q", "v");
        assertThat(a.run("EXPIRE", "k", "0")).isEqualTo(ONE);
        assertThat(a.run("PEXPIRE", "p", "-100")).isEqualTo(ONE);
        assertThat(a.run("EXPIRE", "q", "-9223372036854775")).isEqualTo(ONE);
        assertThat(a.run("EXISTS", "k", "p", "q")).isEqualTo(ZERO);
        assertThat(a.aofCommands()).containsExactly(
                List.of("SELECT", "0"), List.of("SET", "k", "v"), List.of("SET", "p", "v"), List.of("SET", "q", "v"),
                List.of("DEL", "k"), List.of("DEL", "p"), List.of("DEL", "q"));
    }

    @Test
    void pexpireatInThePastThenGet() throws Exception {
        EngineFixture a = aof();
        a.run("SET", "k", "v");
        a.run("SET", "j", "v", "EX", "100");
        a.engine.db(0).setExpire(Key.of("j"), 1); // expired behind the engine's back: deleted lazily
        assertThat(a.run("PEXPIREAT", "k", "1")).isEqualTo(ONE);
        assertThat(a.run("GET", "k")).isEqualTo(NIL);
        assertThat(a.run("GET", "j")).isEqualTo(NIL);
        assertThat(a.run("TTL", "j")).isEqualTo(":-2\r\n");
        List<List<String>> cmds = a.aofCommands();
        assertThat(cmds.get(3)).containsExactly("DEL", "k");
        assertThat(cmds.get(4)).containsExactly("DEL", "j");
        assertThat(cmds).hasSize(5);
    }

    @Test
    void expireOptions() {
        f.run("SET", "k", "v");
        assertThat(f.run("EXPIRE", "k", "10", "xx", "gt")).isEqualTo(ZERO);
        assertThat(f.run("EXPIRE", "k", "10", "XX")).isEqualTo(ZERO);
        assertThat(f.run("EXPIRE", "k", "10", "GT")).isEqualTo(ZERO);
        assertThat(f.run("TTL", "k")).isEqualTo(":-1\r\n");
        assertThat(f.run("EXPIRE", "k", "1000", "lt")).isEqualTo(ONE);
        assertThat(f.run("EXPIRE", "k", "10", "nx")).isEqualTo(ZERO);
        assertThat(f.run("EXPIRE", "k", "2000", "lt")).isEqualTo(ZERO);
        assertThat(f.run("EXPIRE", "k", "2000", "gt")).isEqualTo(ONE);
        assertThat(f.run("EXPIRE", "k", "2000", "gt")).isEqualTo(ZERO);
        assertThat(f.run("EXPIRE", "k", "100", "xx", "lt")).isEqualTo(ONE);
        assertThat(f.run("TTL", "k")).isEqualTo(":100\r\n");
        assertThat(f.run("PERSIST", "k")).isEqualTo(ONE);
        assertThat(f.run("EXPIRE", "k", "10", "NX")).isEqualTo(ONE);
    }

    @Test
    void ttlAndExpiretime() {
        assertThat(f.run("TTL", "nokey")).isEqualTo(":-2\r\n");
        assertThat(f.run("PTTL", "nokey")).isEqualTo(":-2\r\n");
        assertThat(f.run("EXPIRETIME", "nokey")).isEqualTo(":-2\r\n");
        assertThat(f.run("PEXPIRETIME", "nokey")).isEqualTo(":-2\r\n");
        f.run("SET", "p", "v");
        assertThat(f.run("TTL", "p")).isEqualTo(":-1\r\n");
        assertThat(f.run("PTTL", "p")).isEqualTo(":-1\r\n");
        assertThat(f.run("EXPIRETIME", "p")).isEqualTo(":-1\r\n");
        assertThat(f.run("PEXPIRETIME", "p")).isEqualTo(":-1\r\n");
        f.run("PEXPIRE", "p", "1400");
        assertThat(f.run("TTL", "p")).isEqualTo(ONE); // rounded to the nearest second
        f.run("PEXPIREAT", "p", "1999999999499");
        assertThat(f.run("EXPIRETIME", "p")).isEqualTo(":1999999999\r\n");
        f.run("PEXPIREAT", "p", "1999999999500");
        assertThat(f.run("EXPIRETIME", "p")).isEqualTo(":2000000000\r\n");
        assertThat(f.run("PEXPIRETIME", "p")).isEqualTo(":1999999999500\r\n");
        f.run("PEXPIREAT", "p", "9223372036854775807");
        assertThat(f.run("PEXPIRETIME", "p")).isEqualTo(":9223372036854775807\r\n");
        assertThat(f.run("EXPIRETIME", "p")).isEqualTo(":9223372036854776\r\n");
    }

    @Test
    void persist() throws Exception {
        EngineFixture a = aof();
        assertThat(a.run("PERSIST", "nokey")).isEqualTo(ZERO);
        a.run("SET", "k", "v");
        assertThat(a.run("PERSIST", "k")).isEqualTo(ZERO);
        a.run("EXPIREAT", "k", "4000000000");
        assertThat(a.run("PERSIST", "k")).isEqualTo(ONE);
        assertThat(a.run("TTL", "k")).isEqualTo(":-1\r\n");
        assertThat(a.aofCommands()).containsExactly(
                List.of("SELECT", "0"), List.of("SET", "k", "v"), List.of("PEXPIREAT", "k", "4000000000000"), List.of("PERSIST", "k"));
    }

    @Test
    void writesSignalWatchers() {
        f.run("SET", "k", "v");
        f.engine.watch(f.client, 0, Key.of("k"));
        f.run("EXPIRE", "nokey", "10");
        f.run("PERSIST", "k");
        f.run("DEL", "nokey");
        f.run("EXPIRE", "k", "10", "XX");
        assertThat(f.client.dirtyCas).isFalse();
        f.run("EXPIRE", "k", "100");
        assertThat(f.client.dirtyCas).isTrue();
        f.engine.unwatchAll(f.client);
        f.engine.watch(f.client, 0, Key.of("dst"));
        f.run("RENAME", "k", "dst");
        assertThat(f.client.dirtyCas).isTrue();
    }

    @Test
    void scanCursorParser() {
        assertThat(KeyCommands.parseCursor("".getBytes())).isZero();
        assertThat(KeyCommands.parseCursor("4294967295".getBytes())).isEqualTo(4294967295L);
        assertThat(KeyCommands.parseCursor("-1".getBytes())).isEqualTo(-1L);
        assertThat(KeyCommands.parseCursor("18446744073709551615".getBytes())).isEqualTo(-1L);
    }
}
