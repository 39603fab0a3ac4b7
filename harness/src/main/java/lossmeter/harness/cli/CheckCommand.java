package lossmeter.harness.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import lossmeter.harness.run.Campaign;
import lossmeter.harness.run.ExitCode;
import lossmeter.harness.run.HistoryJsonl;
import lossmeter.harness.run.TrialFiles;
import lossmeter.reports.model.ResultsFiles;
import lossmeter.workloads.check.Anomaly;
import lossmeter.workloads.check.CheckResult;
import lossmeter.workloads.check.Checker;
import lossmeter.workloads.check.Crash;
import lossmeter.workloads.check.CrashVerdict;
import lossmeter.workloads.check.Verdict;
import lossmeter.workloads.history.History;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lossmeter check DIR}: judges saved trials again offline, from their history.jsonl and
 * crashes.json, with the current checker. DIR is one trial's dir or a campaign's results dir.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Re-check saved trials offline: DIR is a trial dir (…/trials/<policy>-<fault>-<n>) or a results dir.",
                "A torn last history line (a run killed mid-write) is reported and the ops before it are checked.",
                "Exit codes: 0 pass, 1 violation or unavailable, 2 not a trial dir, 3 a trial could not be read or checked."})
final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "a trial dir or a campaign results dir")
    Path dir;

    @Override
    public Integer call() throws IOException {
        List<Path> trials = trialDirs(dir);
        if (trials.isEmpty()) {
            throw new ParameterException(spec.commandLine(), dir + " holds no saved trial (expected " + HistoryJsonl.FILE + " and "
                    + TrialFiles.CRASHES + ", or a " + ResultsFiles.TRIALS + "/ dir of them)");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Verdict worst = Verdict.OK;
        boolean checkerFailed = false;
        boolean failed = false;
        for (Path t : trials) {
            History history;
            List<Crash> crashes;
            try {
                HistoryJsonl.Read read = HistoryJsonl.readTolerant(t.resolve(HistoryJsonl.FILE));
                if (read.tornLine() > 0) {
                    // A run killed mid-write: the ops before the cut are whole and still worth judging.
                    out.printf("%s: %s line %d is torn (the run was interrupted while writing it); checking the %d ops before it%n",
                            t.getFileName(), t.resolve(HistoryJsonl.FILE), read.tornLine(), read.history().size());
                }
                history = read.history();
                crashes = TrialFiles.readCrashes(t.resolve(TrialFiles.CRASHES));
            } catch (IOException | RuntimeException e) {
                err.println(t.getFileName() + ": cannot read the saved trial: " + e.getMessage());
                checkerFailed = true;
                continue;
            }
            CheckResult r;
            try {
                r = Checker.check(history, crashes);
            } catch (RuntimeException e) {
                err.println(t.getFileName() + ": the checker failed: " + e);
                checkerFailed = true;
                continue;
            }
            worst = worst.worst(r.verdict());
            failed |= !r.passes();
            print(out, t.getFileName().toString(), history, r);
        }
        out.flush();
        // A trial that could not be judged makes the whole check INDETERMINATE, whatever the others found.
        if (checkerFailed) return ExitCode.INFRA.code();
        // A refusal to start after media damage is UNAVAILABLE yet correct: judge by class, not by verdict alone.
        if (failed && (worst == Verdict.VIOLATION || worst == Verdict.UNAVAILABLE)) return ExitCode.FINDING.code();
        if (failed) return ExitCode.INFRA.code();
        return ExitCode.PASS.code();
    }

    private static void print(PrintWriter out, String name, History history, CheckResult r) {
        out.printf("%s: %s (%d ops)%n", name, r.verdict(), history.size());
        for (CrashVerdict c : r.crashes()) {
            out.printf("  crash %d (%s at %dms): %s, %d acked writes, %d lost, window %dms%s%s%n", c.cycle(), c.fault(),
                    c.crashTime() / 1_000_000, c.verdict(), c.ackedWrites(), c.lostAcked(), c.lossWindowNanos() / 1_000_000,
                    c.ambiguous() ? " (the state also fits " + c.lostAckedUpper() + " lost, window " + c.lossWindowUpperNanos() / 1_000_000
                            + "ms)" : "",
                    c.note() == null ? "" : " — " + c.note());
            for (Anomaly a : c.anomalies()) printAnomaly(out, a);
        }
        for (Anomaly a : r.liveReadAnomalies()) printAnomaly(out, a);
    }

    private static void printAnomaly(PrintWriter out, Anomaly a) {
        out.printf("    %s %s: %s (expected %s, recovered %s)%n", a.kind(), a.key() == null ? "" : a.key(), a.message(),
                a.expected(), a.recovered());
    }

    static List<Path> trialDirs(Path dir) throws IOException {
        if (isTrial(dir)) return List.of(dir);
        Path trials = dir.resolve(ResultsFiles.TRIALS);
        List<Path> out = new ArrayList<>();
        if (Files.isDirectory(trials)) {
            try (Stream<Path> s = Files.list(trials)) {
                s.filter(CheckCommand::isTrial).sorted().forEach(out::add);
            }
        }
        return out;
    }

    private static boolean isTrial(Path d) {
        return Files.isRegularFile(d.resolve(HistoryJsonl.FILE)) && Files.isRegularFile(d.resolve(TrialFiles.CRASHES));
    }
}
