package lossmeter.harness.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import lossmeter.faults.node.Node;
import lossmeter.faults.node.NodeException;
import lossmeter.harness.node.NodeSpec;
import lossmeter.reports.model.ResultsFiles;

/**
 * Runs a campaign's trials on its open nodes and writes its results dir: {@code results.json} and
 * {@code trials/<policy>-<fault>-<n>/}. Each node runs {@code parallel} trials at once, every
 * worker taking the next trial not yet taken, so the results are the same set of trials, each
 * with its own seed, whatever the fleet; they are reported in the campaign's order.
 *
 * <p>An infrastructure failure (the target never came up on a node that still answers) stops the
 * campaign, since every further trial would fail the same way. A node that stops answering leaves
 * the campaign: the trial it ran is INDETERMINATE, the others go on on the remaining nodes; the
 * campaign stops only when no node is left.
 */
public final class Campaign {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

    /**
     * Where a worker runs its trials: one open node for all of them, or a spec that opens a node
     * of its own for each trial (a fresh container) and closes it after the trial.
     */
    public record Slot(String name, Node node, NodeSpec perTrial) {
        public static Slot of(Node node) {
            return new Slot(node.name(), node, null);
        }

        public static Slot perTrial(NodeSpec spec) {
            return new Slot(spec.name(), null, spec);
        }
    }

    private final CampaignSpec spec;
    private final List<Slot> nodes;
    private final Progress progress;

    public Campaign(CampaignSpec spec, Node node, Progress progress) {
        this(spec, List.of(Slot.of(node)), progress);
    }

    /** {@code nodes}: the campaign's fleet, in the order of {@link Fleet#nodes()}. */
    public Campaign(CampaignSpec spec, List<Slot> nodes, Progress progress) {
        this.spec = spec;
        this.nodes = List.copyOf(nodes);
        this.progress = progress;
    }

    public CampaignResult run(String command) throws IOException {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Files.createDirectories(spec.out().resolve(ResultsFiles.TRIALS));
        List<TrialId> ids = spec.trialIds();
        Run run = new Run(ids);
        List<Thread> workers = new ArrayList<>();
        int parallel = spec.fleet().parallel();
        for (Slot node : nodes) {
            for (int k = 0; k < parallel; k++) {
                workers.add(Thread.ofPlatform().name("trials-" + node.name() + "-" + k).start(() -> run.work(node)));
            }
        }
        try {
            for (Thread w : workers) w.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.abort("interrupted");
            throw new IOException("interrupted while trials ran", e);
        }
        List<TrialResult> results = Arrays.stream(run.results).filter(Objects::nonNull).toList();
        CampaignResult result = CampaignResult.of(spec, results, run.aborted, started, (System.nanoTime() - t0) / 1_000_000);
        ResultsJson.write(spec.out().resolve(ResultsJson.FILE), result, command);
        return result;
    }

    /** The shared state of one campaign's workers. */
    private final class Run {
        private final List<TrialId> ids;
        private final TrialResult[] results;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger done = new AtomicInteger();
        private final List<Slot> left = new ArrayList<>(nodes);
        private volatile String aborted;

        Run(List<TrialId> ids) {
            this.ids = ids;
            this.results = new TrialResult[ids.size()];
        }

        void work(Slot slot) {
            while (aborted == null && stillIn(slot)) {
                int i = next.getAndIncrement();
                if (i >= ids.size()) return;
                TrialId id = ids.get(i);
                synchronized (progress) {
                    progress.started(id, i, ids.size(), slot.name());
                }
                Node node = slot.node();
                TrialResult r;
                try {
                    if (node == null) node = slot.perTrial().open();
                } catch (RuntimeException e) {
                    abort("trial " + id + ": cannot open its node " + slot.name() + ": " + e.getMessage());
                    return;
                }
                try {
                    r = new Trial(trialSpec(id), node).run();
                } catch (IOException | RuntimeException e) {
                    // The trial could not even write its results dir: the harness's machine is broken.
                    abort("trial " + id + ": " + e.getMessage());
                    return;
                } finally {
                    if (slot.node() == null) remove(node);
                }
                results[i] = r;
                synchronized (progress) {
                    progress.finished(r, done.incrementAndGet() - 1, ids.size());
                }
                if (slot.node() != null && r.error() != null && !answers(slot.node())) {
                    leave(slot, id);
                    return;
                }
                if (r.infrastructure()) {
                    abort("trial " + id + (nodes.size() > 1 ? " on node " + slot.name() : "") + ": " + r.error());
                    return;
                }
            }
        }

        /** Removes a trial's own node; one that cannot be removed stops the campaign, since each would leave one more behind. */
        private void remove(Node node) {
            try {
                node.close();
            } catch (RuntimeException e) {
                abort("cannot clean up node " + node.name() + " after its trial: " + e.getMessage());
            }
        }

        /** True when the node still runs a command: a trial's error may have been the node's going away. */
        private boolean answers(Node node) {
            try {
                return node.run(List.of("true"), PROBE_TIMEOUT).ok();
            } catch (NodeException e) {
                return false;
            }
        }

        private synchronized boolean stillIn(Slot node) {
            return left.contains(node);
        }

        private void leave(Slot node, TrialId last) {
            boolean none;
            synchronized (this) {
                left.remove(node);
                none = left.isEmpty();
            }
            synchronized (progress) {
                progress.nodeLost(node.name(), "stopped answering during trial " + last);
            }
            if (none) abort("no node is left: " + node.name() + " stopped answering during trial " + last);
        }

        void abort(String why) {
            synchronized (this) {
                if (aborted == null) aborted = why;
            }
        }
    }

    TrialSpec trialSpec(TrialId id) {
        Path dir = spec.out().resolve(ResultsFiles.TRIALS).resolve(id.toString());
        return new TrialSpec(id, Seeds.trialSeed(spec.seed(), id), spec.target(), spec.fault(id.fault()).create(), spec.settings(), dir);
    }
}
