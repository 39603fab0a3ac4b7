package lossmeter.server.keyspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class HashTrieTest {

    /** Two distinct keys with the same 32-bit hash, found by brute force (expected within a few 100k tries). */
    private static final Key[] PAIR = pairSharing("k", 32);
    /** Distinct hashes equal down to bit 2 or bit 1: they meet again in the last, 2-bit level. */
    private static final List<Key> DEEP = Stream.of(pairSharing("d", 30), pairSharing("e", 31))
            .flatMap(Stream::of)
            .toList();

    /** Two keys whose hashes agree in their top {@code bits} bits (and differ below, if there are bits below). */
    static Key[] pairSharing(String prefix, int bits) {
        Map<Integer, Integer> seen = new HashMap<>();
        for (int i = 0; i < 5_000_000; i++) {
            int h = Key.of(prefix + i).hash();
            Integer prev = seen.putIfAbsent(h >>> (32 - bits), i);
            if (prev != null && (bits == 32 || Key.of(prefix + prev).hash() != h)) {
                return new Key[] {Key.of(prefix + prev), Key.of(prefix + i)};
            }
        }
        throw new AssertionError("no pair for prefix " + prefix);
    }

    @Test
    void randomOperationsMatchHashMap() {
        Random rnd = new Random(42);
        HashTrie<Integer> trie = new HashTrie<>();
        Map<Key, Integer> model = new HashMap<>();
        List<Key> universe = new ArrayList<>(List.of(PAIR));
        universe.addAll(DEEP);
        for (int i = 0; i < 20_000; i++) {
            universe.add(Key.of("key" + i));
        }
        List<HashTrie<Integer>> snaps = new ArrayList<>();
        List<Map<Key, Integer>> snapModels = new ArrayList<>();
        for (int op = 0; op < 200_000; op++) {
            // Now and then draw from a few hundred keys only, so the same nodes see puts and removes back to back.
            Key k = universe.get(op % 50_000 < 10_000 ? rnd.nextInt(300) : rnd.nextInt(universe.size()));
            int r = rnd.nextInt(10);
            if (r < 5) {
                int v = rnd.nextInt(1000);
                check(Objects.equals(trie.put(k, v), model.put(k, v)), "put at op " + op);
            } else if (r < 8) {
                check(Objects.equals(trie.remove(k), model.remove(k)), "remove at op " + op);
            } else {
                check(Objects.equals(trie.get(k), model.get(k)), "get at op " + op);
            }
            check(trie.size() == model.size(), "size at op " + op);
            if (op % 5_000 == 0) {
                snaps.add(trie.snapshot());
                snapModels.add(new HashMap<>(model));
                checkInvariants(trie);
                assertThat(contents(trie)).isEqualTo(model);
            }
        }
        checkInvariants(trie);
        assertThat(contents(trie)).isEqualTo(model);
        for (int i = 0; i < snaps.size(); i++) {
            checkInvariants(snaps.get(i));
            assertThat(contents(snaps.get(i))).isEqualTo(snapModels.get(i));
            assertThat(snaps.get(i).size()).isEqualTo(snapModels.get(i).size());
        }
    }

    @Test
    void putRejectsNullAndReplacesInPlaceOnlyWhileOwned() {
        HashTrie<String> trie = new HashTrie<>();
        assertThatThrownBy(() -> trie.put(Key.of("a"), null)).isInstanceOf(NullPointerException.class);
        for (int i = 0; i < 10_000; i++) {
            trie.put(Key.of("x" + i), "v");
        }
        TrieNode.Bitmap root = trie.root();
        trie.put(Key.of("x5"), "w");
        trie.remove(Key.of("x6"));
        assertThat(trie.root()).isSameAs(root);
        HashTrie<String> snap = trie.snapshot();
        trie.put(Key.of("x5"), "z");
        TrieNode.Bitmap copied = trie.root();
        assertThat(copied).isNotSameAs(root);
        assertThat(snap.root()).isSameAs(root);
        trie.put(Key.of("x7"), "z");
        assertThat(trie.root()).isSameAs(copied);
        assertThat(snap.get(Key.of("x5"))).isEqualTo("w");
        assertThat(snap.get(Key.of("x7"))).isEqualTo("v");
    }

    @Test
    void rootConsumesTheTopFiveHashBits() {
        HashTrie<String> trie = new HashTrie<>();
        Key k = Key.of("only");
        trie.put(k, "v");
        assertThat(trie.root().dataMap).isEqualTo(1 << (k.hash() >>> 27));
    }

    @Test
    void hashesSharingThirtyBitsMeetInTheLastLevelAndCollapseBack() {
        for (int pair = 0; pair < DEEP.size(); pair += 2) {
            Key a = DEEP.get(pair);
            Key b = DEEP.get(pair + 1);
            HashTrie<String> trie = new HashTrie<>();
            trie.put(a, "a");
            trie.put(b, "b");
            TrieNode node = trie.root();
            for (int level = 0; level < 6; level++) {
                TrieNode.Bitmap chain = (TrieNode.Bitmap) node;
                assertThat(chain.dataMap).isZero();
                assertThat(Integer.bitCount(chain.nodeMap)).isOne();
                node = (TrieNode) chain.content[0];
            }
            assertThat(Integer.bitCount(((TrieNode.Bitmap) node).dataMap)).isEqualTo(2);
            List<Key> order = new ArrayList<>();
            trie.forEach((k, v) -> order.add(k));
            assertThat(order).containsExactlyElementsOf(sorted(List.of(a, b)));
            List<Key> fromSecond = new ArrayList<>();
            Key later = order.get(1);
            assertThat(trie.scan(Integer.toUnsignedLong(order.get(0).hash()) + 1, 5, (k, v) -> fromSecond.add(k))).isZero();
            assertThat(fromSecond).containsExactly(later);
            assertThat(trie.get(a)).isEqualTo("a");
            assertThat(trie.remove(b)).isEqualTo("b");
            assertThat(trie.root().isSingleton()).isTrue();
            checkInvariants(trie);
        }
    }

    @Test
    void collidingKeysLiveInCollisionNodes() {
        Key a = PAIR[0];
        Key b = PAIR[1];
        assertThat(a).isNotEqualTo(b);
        assertThat(a.hash()).isEqualTo(b.hash());
        HashTrie<String> trie = new HashTrie<>();
        trie.put(a, "a");
        assertThat(trie.put(b, "b")).isNull();
        assertThat(trie.put(b, "b2")).isEqualTo("b");
        assertThat(trie.get(a)).isEqualTo("a");
        assertThat(trie.get(b)).isEqualTo("b2");
        assertThat(trie.size()).isEqualTo(2);
        // Random keys split the collision node's level again and again; the node must survive each split.
        Random rnd = new Random(7);
        Map<Key, String> model = new HashMap<>(Map.of(a, "a", b, "b2"));
        List<Key> others = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            Key k = Key.of("o" + rnd.nextLong());
            others.add(k);
            trie.put(k, "o");
            model.put(k, "o");
        }
        checkInvariants(trie);
        HashTrie<String> snap = trie.snapshot();
        assertThat(trie.remove(a)).isEqualTo("a");
        assertThat(trie.get(a)).isNull();
        assertThat(trie.get(b)).isEqualTo("b2");
        assertThat(snap.get(a)).isEqualTo("a");
        assertThat(contents(snap)).isEqualTo(model);
        checkInvariants(trie);

        List<List<Key>> calls = new ArrayList<>();
        long cursor = 0;
        do {
            List<Key> call = new ArrayList<>();
            cursor = snap.scan(cursor, 1, (k, v) -> call.add(k));
            calls.add(call);
            check(calls.size() <= snap.size(), "scan does not advance");
        } while (cursor != 0);
        List<Key> pairCall = calls.stream().filter(c -> c.contains(a)).findFirst().orElseThrow();
        assertThat(pairCall).containsExactlyElementsOf(sorted(List.of(a, b)));
        assertThat(calls.stream().mapToInt(List::size).sum()).isEqualTo(snap.size());

        for (Key k : others) {
            trie.remove(k);
        }
        checkInvariants(trie);
        assertThat(trie.size()).isEqualTo(1);
        assertThat(trie.root().isSingleton()).isTrue();
        assertThat(trie.remove(b)).isEqualTo("b2");
        assertThat(trie.isEmpty()).isTrue();
        assertThat(contents(snap)).isEqualTo(model);
    }

    @Test
    void largerCollisionGroupsKeepOrderAndStayTogether() {
        // FNV-1a keeps equal states equal under a common suffix; if Key's hash changes that trick may stop working.
        String a = PAIR[0].toString();
        String b = PAIR[1].toString();
        Key[] q = pairSharing(a + "|", 32);
        String s0 = q[0].toString().substring(a.length());
        String s1 = q[1].toString().substring(a.length());
        Key[] group = {Key.of(a + s0), Key.of(a + s1), Key.of(b + s0), Key.of(b + s1)};
        assumeThat(Stream.of(group).map(Key::hash).distinct().count()).isOne();
        HashTrie<Integer> trie = new HashTrie<>();
        for (int i = 0; i < 2_000; i++) {
            trie.put(Key.of("f" + i), i);
        }
        for (int i = 3; i >= 0; i--) {
            trie.put(group[i], -i);
        }
        checkInvariants(trie);
        HashTrie<Integer> snap = trie.snapshot();
        assertThat(trie.remove(group[2])).isEqualTo(-2);
        assertThat(trie.remove(group[2])).isNull();
        assertThat(trie.get(group[3])).isEqualTo(-3);
        assertThat(snap.get(group[2])).isEqualTo(-2);
        checkInvariants(trie);
        List<Key> seen = new ArrayList<>();
        snap.scan(Integer.toUnsignedLong(group[0].hash()), 1, (k, v) -> seen.add(k));
        assertThat(seen).containsExactlyElementsOf(sorted(List.of(group)));
        trie.remove(group[0]);
        trie.remove(group[1]);
        checkInvariants(trie);
        assertThat(trie.get(group[3])).isEqualTo(-3);
    }

    @Test
    void snapshotsAreIsolatedInEveryDirection() {
        HashTrie<String> t = new HashTrie<>();
        for (int i = 0; i < 1_000; i++) {
            t.put(Key.of("s" + i), "t" + i);
        }
        Map<Key, String> base = contents(t);
        HashTrie<String> s = t.snapshot();
        t.put(Key.of("s1"), "changed");
        t.put(Key.of("new"), "n");
        t.remove(Key.of("s2"));
        assertThat(contents(s)).isEqualTo(base);
        assertThat(s.size()).isEqualTo(1_000);
        assertThat(t.size()).isEqualTo(1_000);

        Map<Key, String> tState = contents(t);
        s.put(Key.of("s3"), "from-s");
        s.remove(Key.of("s4"));
        s.put(PAIR[0], "p0");
        s.put(PAIR[1], "p1");
        assertThat(contents(t)).isEqualTo(tState);
        Map<Key, String> sState = contents(s);
        assertThat(s.size()).isEqualTo(1_001);

        HashTrie<String> s2 = s.snapshot();
        s2.remove(PAIR[0]);
        s2.put(Key.of("s5"), "from-s2");
        s.remove(PAIR[1]);
        s.put(Key.of("s6"), "from-s");
        assertThat(s2.get(PAIR[1])).isEqualTo("p1");
        assertThat(s2.get(Key.of("s6"))).isEqualTo("t6");
        assertThat(s.get(PAIR[0])).isEqualTo("p0");
        assertThat(s.get(Key.of("s5"))).isEqualTo("t5");
        sState.remove(PAIR[1]);
        sState.put(Key.of("s6"), "from-s");
        assertThat(contents(s)).isEqualTo(sState);

        Map<Key, String> s2State = contents(s2);
        t.clear();
        assertThat(t.isEmpty()).isTrue();
        t.put(Key.of("s7"), "after-clear");
        s.clear();
        s.put(Key.of("s8"), "after-clear");
        assertThat(contents(t)).isEqualTo(Map.of(Key.of("s7"), "after-clear"));
        assertThat(contents(s)).isEqualTo(Map.of(Key.of("s8"), "after-clear"));
        assertThat(contents(s2)).isEqualTo(s2State);
        assertThat(s2.size()).isEqualTo(s2State.size());
        checkInvariants(t);
        checkInvariants(s);
        checkInvariants(s2);
    }

    @Test
    void anotherThreadReadsASnapshotWhileTheOriginalIsWritten() throws Exception {
        HashTrie<Integer> trie = new HashTrie<>();
        List<Key> keys = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            keys.add(Key.of("c" + i));
            trie.put(keys.get(i), i);
        }
        Map<Key, Integer> expected = contents(trie);
        HashTrie<Integer> snap = trie.snapshot();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try {
                started.countDown();
                int rounds = 0;
                while (writing.get() || rounds < 3) {
                    Map<Key, Integer> seen = new HashMap<>(expected.size() * 2);
                    snap.forEach(seen::put);
                    if (!seen.equals(expected) || snap.size() != expected.size()) {
                        throw new AssertionError("snapshot changed under the reader in round " + rounds);
                    }
                    for (int i = rounds; i < keys.size(); i += 97) {
                        if (!expected.get(keys.get(i)).equals(snap.get(keys.get(i)))) {
                            throw new AssertionError("get saw a write for " + keys.get(i));
                        }
                    }
                    rounds++;
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        reader.start();
        started.await();
        Random rnd = new Random(3);
        for (int op = 0; op < 300_000; op++) {
            Key k = rnd.nextInt(4) == 0 ? Key.of("w" + rnd.nextInt(50_000)) : keys.get(rnd.nextInt(keys.size()));
            if (rnd.nextInt(3) == 0) {
                trie.remove(k);
            } else {
                trie.put(k, -op);
            }
        }
        writing.set(false);
        reader.join();
        assertThat(failure.get()).isNull();
        assertThat(contents(snap)).isEqualTo(expected);
        checkInvariants(trie);
    }

    @Test
    void scanReturnsEveryStableKeyExactlyOnceUnderChanges() {
        for (int seed = 0; seed < 40; seed++) {
            for (int count : new int[] {1, 3, 16, 200, 100_000}) {
                scanRound(new Random(seed * 31L + count), count);
            }
        }
    }

    private static void scanRound(Random rnd, int count) {
        HashTrie<Integer> trie = new HashTrie<>();
        Set<Key> stable = new HashSet<>();
        Map<Key, Integer> generation = new HashMap<>();
        List<Key> volatilePool = new ArrayList<>(List.of(PAIR[1]));
        stable.add(PAIR[0]);
        stable.addAll(DEEP.subList(0, 2));
        volatilePool.addAll(DEEP.subList(2, 4));
        for (int i = 0; i < 300; i++) {
            stable.add(Key.of("st" + rnd.nextInt()));
            volatilePool.add(Key.of("vo" + rnd.nextInt()));
        }
        stable.forEach(k -> trie.put(k, 0));
        for (Key k : volatilePool) {
            if (rnd.nextBoolean() && trie.put(k, 1) == null) {
                generation.merge(k, 1, Integer::sum);
            }
        }
        Map<Key, Integer> visits = new HashMap<>();
        Set<String> visitedGenerations = new HashSet<>();
        int[] visited = {0};
        long cursor = 0;
        int calls = 0;
        do {
            visited[0] = 0;
            cursor = trie.scan(cursor, count, (k, v) -> {
                check(v.equals(trie.get(k)), "visited a key that is not present: " + k);
                visits.merge(k, 1, Integer::sum);
                check(stable.contains(k) || visitedGenerations.add(k + "#" + generation.get(k)), "visited twice: " + k);
                visited[0]++;
            });
            // Only the colliding pair may push a call one past count.
            check(visited[0] <= count + 1 && (cursor == 0 || visited[0] >= count), "visited " + visited[0]);
            check(cursor >= 0 && cursor < 1L << 32, "cursor " + cursor);
            for (int i = rnd.nextInt(6); i > 0; i--) {
                Key k = volatilePool.get(rnd.nextInt(volatilePool.size()));
                if (rnd.nextBoolean()) {
                    trie.remove(k);
                } else if (trie.put(k, 1) == null) {
                    generation.merge(k, 1, Integer::sum);
                }
            }
            check(calls < 10_000, "scan does not advance");
            if (calls++ == 5) {
                for (int i = 0; i < 2_000; i++) {
                    Key k = Key.of("grow" + rnd.nextInt());
                    volatilePool.add(k);
                    trie.put(k, 1);
                    generation.merge(k, 1, Integer::sum);
                }
            }
        } while (cursor != 0);
        for (Key k : stable) {
            check(Integer.valueOf(1).equals(visits.get(k)), "visits of " + k + ": " + visits.get(k));
        }
    }

    @Test
    void scanSeeksToAnyCursorAndChecksItsArguments() {
        HashTrie<Integer> trie = new HashTrie<>();
        List<Key> keys = new ArrayList<>(List.of(PAIR));
        keys.addAll(DEEP);
        for (int i = 0; i < 5_000; i++) {
            keys.add(Key.of("z" + i));
        }
        keys.forEach(k -> trie.put(k, 1));
        List<Key> order = sorted(keys);
        Random rnd = new Random(11);
        List<Long> cursors = new ArrayList<>(List.of(0L, (1L << 32) - 1, Integer.toUnsignedLong(PAIR[0].hash())));
        for (Key k : DEEP) {
            cursors.add(Integer.toUnsignedLong(k.hash()));
            cursors.add(Integer.toUnsignedLong(k.hash()) + 1);
        }
        for (int i = 0; i < 200; i++) {
            long h = Integer.toUnsignedLong(order.get(rnd.nextInt(order.size())).hash());
            cursors.add(h);
            cursors.add(Math.min(h + 1, (1L << 32) - 1));
            cursors.add(Math.max(h - 1, 0));
            cursors.add(rnd.nextLong(1L << 32));
        }
        for (long c : cursors) {
            List<Key> seen = new ArrayList<>();
            assertThat(trie.scan(c, 10_000, (k, v) -> seen.add(k))).isZero();
            int from = 0;
            while (from < order.size() && Integer.toUnsignedLong(order.get(from).hash()) < c) {
                from++;
            }
            check(seen.equals(order.subList(from, order.size())), "scan from " + c);
            if (from < order.size()) {
                // A small count stops right after the first hash group and resumes at the next hash.
                long next = trie.scan(c, 1, (k, v) -> {});
                int skip = order.get(from).equals(PAIR[0]) || order.get(from).equals(PAIR[1]) ? 2 : 1;
                long expectedNext = from + skip < order.size() ? Integer.toUnsignedLong(order.get(from + skip).hash()) : 0;
                assertThat(next).isEqualTo(expectedNext);
            }
        }
        assertThatThrownBy(() -> trie.scan(-1, 10, (k, v) -> {})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> trie.scan(1L << 32, 10, (k, v) -> {})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> trie.scan(0, 0, (k, v) -> {})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void forEachFollowsKeyOrder() {
        HashTrie<Integer> trie = new HashTrie<>();
        Random rnd = new Random(5);
        trie.put(PAIR[1], 1);
        for (int i = 0; i < 100_000; i++) {
            trie.put(Key.of(Long.toString(rnd.nextLong(), 36)), i);
        }
        trie.put(PAIR[0], 0);
        List<Key> seen = new ArrayList<>();
        trie.forEach((k, v) -> seen.add(k));
        assertThat(seen).hasSize(trie.size());
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i - 1).compareTo(seen.get(i))).as("at %d", i).isNegative();
        }
    }

    @Test
    void removingEverythingLeavesASmallEmptyTrie() {
        HashTrie<Integer> trie = new HashTrie<>();
        List<Key> keys = new ArrayList<>(List.of(PAIR));
        for (int i = 0; i < 1_000_000; i++) {
            keys.add(Key.of("m" + i));
        }
        keys.forEach(k -> trie.put(k, 1));
        assertThat(trie.size()).isEqualTo(keys.size());
        long[] counted = {0};
        trie.forEach((k, v) -> counted[0]++);
        assertThat(counted[0]).isEqualTo(keys.size());
        Collections.shuffle(keys, new Random(9));
        for (Key k : keys) {
            check(Integer.valueOf(1).equals(trie.remove(k)), "remove " + k);
        }
        assertThat(trie.size()).isZero();
        assertThat(trie.isEmpty()).isTrue();
        assertThat(trie.root().dataMap | trie.root().nodeMap).isZero();
        assertThat(trie.root().content.length).isLessThanOrEqualTo(4);
        List<Key> seen = new ArrayList<>();
        assertThat(trie.scan(0, 10, (k, v) -> seen.add(k))).isZero();
        trie.forEach((k, v) -> seen.add(k));
        assertThat(seen).isEmpty();
        assertThat(trie.randomKey(new Random(1))).isNull();
    }

    @Test
    void randomKeyReturnsPresentKeysAndCoversNearlyAll() {
        HashTrie<Integer> trie = new HashTrie<>();
        Set<Key> keys = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            keys.add(Key.of("r" + i));
        }
        keys.forEach(k -> trie.put(k, 1));
        Random rnd = new Random(13);
        Set<Key> drawn = new HashSet<>();
        for (int i = 0; i < 50_000; i++) {
            Key k = trie.randomKey(rnd);
            assertThat(keys).contains(k);
            drawn.add(k);
        }
        assertThat(drawn.size()).isGreaterThanOrEqualTo(900);

        HashTrie<Integer> pair = new HashTrie<>();
        pair.put(PAIR[0], 0);
        pair.put(PAIR[1], 1);
        Set<Key> fromPair = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            fromPair.add(pair.randomKey(rnd));
        }
        assertThat(fromPair).containsExactlyInAnyOrder(PAIR);
    }

    private static List<Key> sorted(List<Key> keys) {
        return keys.stream().sorted(Comparator.naturalOrder()).toList();
    }

    private static <V> Map<Key, V> contents(HashTrie<V> trie) {
        Map<Key, V> m = new HashMap<>();
        trie.forEach((k, v) -> check(m.put(k, v) == null, "forEach visited twice: " + k));
        return m;
    }

    // Plain checks rather than AssertJ where they run per entry: the big tests would spend seconds in assertThat.
    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    /** Structural checks: layout, hash paths, canonical form (no single-entry subtrees) and the ownership rule. */
    private static void checkInvariants(HashTrie<?> trie) {
        int entries = check(trie.root(), TrieNode.TOP_SHIFT, 0, 0, true, trie.edit);
        assertThat(entries).isEqualTo(trie.size());
    }

    private static int check(TrieNode node, int shift, int prefix, int prefixBits, boolean root, Object edit) {
        if (node instanceof TrieNode.Collision c) {
            check(c.kv.length >= 4, "collision node with one entry");
            for (int i = 0; i < c.kv.length; i += 2) {
                check(((Key) c.kv[i]).hash() == c.hash && c.kv[i + 1] != null, "collision entry " + c.kv[i]);
                check(i == 0 || ((Key) c.kv[i - 2]).compareTo((Key) c.kv[i]) < 0, "collision order");
            }
            checkPrefix(c.hash, prefix, prefixBits);
            return c.kv.length / 2;
        }
        TrieNode.Bitmap b = (TrieNode.Bitmap) node;
        check((b.dataMap & b.nodeMap) == 0, "slot both entry and subtree");
        int p = Integer.bitCount(b.dataMap);
        int used = 2 * p + Integer.bitCount(b.nodeMap);
        check(b.content.length >= used, "content too short");
        for (int i = used; i < b.content.length; i++) {
            check(b.content[i] == null, "slack not cleared");
        }
        check(root || b.nodeMap != 0 || p >= 2, "single-entry subtree");
        int levelBits = shift >= 0 ? 5 : 2;
        int total = 0;
        int di = 0;
        int ni = 2 * p;
        for (int slot = 0; slot < 32; slot++) {
            int bit = 1 << slot;
            if ((b.dataMap & bit) != 0) {
                Key k = (Key) b.content[di];
                check(b.content[di + 1] != null && TrieNode.frag(k.hash(), shift) == slot, "entry " + k);
                checkPrefix(k.hash(), prefix, prefixBits);
                di += 2;
                total++;
            } else if ((b.nodeMap & bit) != 0) {
                TrieNode child = (TrieNode) b.content[ni++];
                check(child.owner != edit || b.owner == edit, "owned node under a shared parent");
                int childPrefix = shift >= 0 ? (prefix << 5 | slot) : prefix << 2 | slot >>> 3;
                total += check(child, shift - 5, childPrefix, prefixBits + levelBits, false, edit);
            }
        }
        return total;
    }

    private static void checkPrefix(int hash, int prefix, int bits) {
        check(bits == 0 || hash >>> (32 - bits) == prefix, "hash off its path");
    }
}
