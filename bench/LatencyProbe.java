import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The latency a client sees while a server rewrites its AOF: one connection, one write in flight
 * (INCR, then RPUSH of the value to a list, so the copy-on-write and rewrite-buffer paths run),
 * each round trip timed. Runs until the file named by the second argument exists, then prints
 * "ops max_ms p99_ms p999_ms over50ms" on one line.
 *
 *   java bench/LatencyProbe.java PORT STOP_FILE
 */
public class LatencyProbe {
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java LatencyProbe.java PORT STOP_FILE");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Path stop = Path.of(args[1]);
        long[] buckets = new long[100_000]; // 10 µs buckets up to 1 s; the rest in the last one
        long ops = 0, maxNs = 0, over50 = 0;
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            while (true) {
                if ((ops & 63) == 0 && Files.exists(stop)) break;
                long t0 = System.nanoTime();
                out.write("*2\r\n$4\r\nINCR\r\n$11\r\nprobe:count\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String v = line(in).substring(1);
                long t1 = System.nanoTime();
                String cmd = "*3\r\n$5\r\nRPUSH\r\n$10\r\nprobe:list\r\n$" + v.length() + "\r\n" + v + "\r\n";
                out.write(cmd.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                line(in);
                long t2 = System.nanoTime();
                for (long d : new long[]{t1 - t0, t2 - t1}) {
                    ops++;
                    maxNs = Math.max(maxNs, d);
                    if (d > 50_000_000L) over50++;
                    buckets[(int) Math.min(buckets.length - 1, d / 10_000)]++;
                }
            }
        }
        System.out.printf(java.util.Locale.ROOT, "%d %.1f %.1f %.1f %d%n", ops, maxNs / 1e6, pct(buckets, ops, 0.99),
                pct(buckets, ops, 0.999), over50);
    }

    private static double pct(long[] buckets, long total, double q) {
        long want = (long) Math.ceil(total * q), seen = 0;
        for (int i = 0; i < buckets.length; i++) {
            seen += buckets[i];
            if (seen >= want) return (i + 1) * 0.01;
        }
        return buckets.length * 0.01;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) throw new IOException("connection closed");
            if (c != '\r') sb.append((char) c);
        }
        if (sb.charAt(0) == '-') throw new IOException("error reply: " + sb);
        return sb.toString();
    }
}
