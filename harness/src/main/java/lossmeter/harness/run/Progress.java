package lossmeter.harness.run;

import java.io.PrintWriter;

/**
 * Shows a campaign's progress: a bar redrawn in place on a terminal, one plain line per trial
 * otherwise (CI logs, pipes), where carriage returns would only make noise.
 */
public interface Progress {
    /** Trial {@code index} of {@code total} (in campaign order) started on {@code node}. */
    void started(TrialId id, int index, int total, String node);

    /** A trial finished; {@code done} trials had finished before it. */
    void finished(TrialResult result, int done, int total);

    /** A node stopped answering and left the campaign; its other trials run elsewhere. */
    void nodeLost(String node, String why);

    /** A bar on a terminal, plain lines elsewhere. */
    static Progress to(PrintWriter out, boolean terminal) {
        return terminal ? new Bar(out) : new Lines(out);
    }

    static String outcome(TrialResult r) {
        String s = r.verdict().name() + (r.node().equals("local") ? "" : " on " + r.node()) + " (" + r.ops() + " ops, " + r.ackedWrites() + " acked writes, lost " + r.lostAcked()
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
        public void started(TrialId id, int index, int total, String node) {
            out.printf("[%d/%d] %s%s …%n", index + 1, total, id, node.equals("local") ? "" : " on " + node);
            out.flush();
        }

        @Override
        public void finished(TrialResult r, int done, int total) {
            out.printf("[%d/%d] %s %s%n", done + 1, total, r.id(), outcome(r));
            out.flush();
        }

        @Override
        public void nodeLost(String node, String why) {
            out.printf("node %s left the campaign: %s%n", node, why);
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

        private int done;

        @Override
        public void started(TrialId id, int index, int total, String node) {
            draw(done, total, id + " running" + (node.equals("local") ? "" : " on " + node));
        }

        @Override
        public void finished(TrialResult r, int done, int total) {
            this.done = done + 1;
            if (!r.passes()) {
                out.print("\r\033[K");
                out.println(r.id() + " " + outcome(r));
            }
            draw(done + 1, total, r.id() + " " + r.verdict());
            if (done + 1 == total) out.println();
            out.flush();
        }

        @Override
        public void nodeLost(String node, String why) {
            out.print("\r\033[K");
            out.println("node " + node + " left the campaign: " + why);
            out.flush();
        }

        private void draw(int done, int total, String label) {
            int filled = total == 0 ? WIDTH : done * WIDTH / total;
            out.print("\r\033[K[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + done + "/" + total + "  " + label);
            out.flush();
        }
    }
}
