package lossmeter.harness.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import lossmeter.faults.node.Node;
import lossmeter.reports.model.ResultsFiles;

/**
 * Runs a campaign's trials one after another on one node and writes its results dir:
 * {@code results.json} and {@code trials/<policy>-<fault>-<n>/}. An infrastructure failure (the
 * target never came up) stops it, since every further trial would fail the same way.
 */
public final class Campaign {
    private final CampaignSpec spec;
    private final Node node;
    private final Progress progress;

    public Campaign(CampaignSpec spec, Node node, Progress progress) {
        this.spec = spec;
        this.node = node;
        this.progress = progress;
    }

    public CampaignResult run(String command) throws IOException {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Files.createDirectories(spec.out().resolve(ResultsFiles.TRIALS));
        List<TrialId> ids = spec.trialIds();
        List<TrialResult> results = new ArrayList<>();
        String aborted = null;
        for (int i = 0; i < ids.size(); i++) {
            TrialId id = ids.get(i);
            progress.started(id, i, ids.size());
            TrialResult r = new Trial(trialSpec(id), node).run();
            results.add(r);
            progress.finished(r, i, ids.size());
            if (r.infrastructure()) {
                aborted = "trial " + id + ": " + r.error();
                break;
            }
        }
        CampaignResult result = CampaignResult.of(spec, results, aborted, started, (System.nanoTime() - t0) / 1_000_000);
        ResultsJson.write(spec.out().resolve(ResultsJson.FILE), result, command);
        return result;
    }

    TrialSpec trialSpec(TrialId id) {
        Path dir = spec.out().resolve(ResultsFiles.TRIALS).resolve(id.toString());
        return new TrialSpec(id, Seeds.trialSeed(spec.seed(), id), spec.target(), spec.fault(id.fault()).create(), spec.settings(), dir);
    }
}
