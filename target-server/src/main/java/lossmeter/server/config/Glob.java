package lossmeter.server.config;

/** Redis's glob-style pattern matching (* ? [abc] [^a] [a-z] \x), used by CONFIG GET, KEYS and SCAN MATCH. */
public final class Glob {
    private Glob() {
    }

    public static boolean matches(String pattern, String s) {
        return matches(pattern.getBytes(java.nio.charset.StandardCharsets.UTF_8), s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static boolean matches(byte[] p, byte[] s) {
        return match(p, 0, s, 0, 0);
    }

    private static boolean match(byte[] p, int pi, byte[] s, int si, int depth) {
        // Bounded recursion: a pathological pattern ("*a*a*a…") must not overflow the stack.
        if (depth > 1000) return false;
        while (pi < p.length) {
            byte c = p[pi];
            switch (c) {
                case '*' -> {
                    while (pi + 1 < p.length && p[pi + 1] == '*') pi++;
                    if (pi + 1 == p.length) return true;
                    for (int k = si; k <= s.length; k++) {
                        if (match(p, pi + 1, s, k, depth + 1)) return true;
                    }
                    return false;
                }
                case '?' -> {
                    if (si >= s.length) return false;
                    si++;
                }
                case '[' -> {
                    if (si >= s.length) return false;
                    pi++;
                    boolean not = pi < p.length && p[pi] == '^';
                    if (not) pi++;
                    boolean hit = false;
                    while (pi < p.length && p[pi] != ']') {
                        if (p[pi] == '\\' && pi + 1 < p.length) {
                            pi++;
                            if (p[pi] == s[si]) hit = true;
                        } else if (pi + 2 < p.length && p[pi + 1] == '-' && p[pi + 2] != ']') {
                            int lo = p[pi] & 0xff, hi = p[pi + 2] & 0xff;
                            if (lo > hi) {
                                int t = lo;
                                lo = hi;
                                hi = t;
                            }
                            int x = s[si] & 0xff;
                            if (x >= lo && x <= hi) hit = true;
                            pi += 2;
                        } else if (p[pi] == s[si]) {
                            hit = true;
                        }
                        pi++;
                    }
                    if (pi >= p.length) pi = p.length - 1; // unterminated class: Redis treats the end as ']'
                    if (not) hit = !hit;
                    if (!hit) return false;
                    si++;
                }
                case '\\' -> {
                    if (pi + 1 < p.length) pi++;
                    if (si >= s.length || p[pi] != s[si]) return false;
                    si++;
                }
                default -> {
                    if (si >= s.length || c != s[si]) return false;
                    si++;
                }
            }
            pi++;
        }
        return si == s.length;
    }
}
