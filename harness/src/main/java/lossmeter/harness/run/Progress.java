package lossmeter.harness.run;

import java.io.PrintWriter;

/**
 * Shows a campaign's progress: a bar redrawn in place on a terminal, one plain line per trial
 * otherwise (CI logs, pipes), where carriage returns would only make noise.
 */
public interface Progress {
    void started(TrialId id, int index, int total);

    void finished(TrialResult result, int index, int total);

    /** A bar on a terminal, plain lines elsewhere. */
    static Progress to(PrintWriter out, boolean terminal) {
        return terminal ? new Bar(out) : new Lines(out);
    }

    static String outcome(TrialResult r) {
        String s = r.verdict().name() + " (" + r.ops() + " ops, " + r.ackedWrites() + " acked writes, lost " + r.lostAcked()
                + ", window " + r.maxLossWindowNanos() / 1_000_000 + "ms)";
        return r.error() == null ? s : s + ": " + firstLine(r.error());
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl) + " …";
    }

    /** One line per trial start and end. */
    final class Lines implements Progress {
        private final PrintWriter out;

        Lines(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void started(TrialId id, int index, int total) {
            out.printf("[%d/%d] %s …%n", index + 1, total, id);
            out.flush();
        }

        @Override
        public void finished(TrialResult r, int index, int total) {
            out.printf("[%d/%d] %s %s%n", index + 1, total, r.id(), outcome(r));
            out.flush();
        }
    }

    /** A bar redrawn with carriage returns; failing trials leave a line above it. */
    final class Bar implements Progress {
        private static final int WIDTH = 30;
        private final PrintWriter out;

        Bar(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void started(TrialId id, int index, int total) {
            draw(index, total, id + " running");
        }

        @Override
        public void finished(TrialResult r, int index, int total) {
            if (!r.passes()) {
                out.print("\r\033[K");
                out.println(r.id() + " " + outcome(r));
            }
            draw(index + 1, total, r.id() + " " + r.verdict());
            if (index + 1 == total) out.println();
            out.flush();
        }

        private void draw(int done, int total, String label) {
            int filled = total == 0 ? WIDTH : done * WIDTH / total;
            out.print("\r\033[K[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + done + "/" + total + "  " + label);
            out.flush();
        }
    }
}
