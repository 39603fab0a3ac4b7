package lossmeter.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.OutputDirectoryCreator;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.FileEntry;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.EventType;

import lossmeter.faults.node.NodeProcess;
import lossmeter.harness.node.ProcessRegistry;

/**
 * The extension end to end on the bundled server, through JUnit's engine test kit: one invocation
 * per cell with its display name and outcome, the evidence in a failing cell's message, the
 * seed and the reports published, and a missing prerequisite skipped (failed in CI).
 */
@Tag("integration")
class DurabilityExtensionIT {
    private int startedBefore;

    @BeforeEach
    void countGroups() {
        startedBefore = ProcessRegistry.global().everStarted().size();
    }

    /** Every process group the campaigns started (targets, each by its own id) is gone and untracked. */
    @AfterEach
    void nothingLeftRunning() throws java.io.IOException {
        List<NodeProcess> all = ProcessRegistry.global().everStarted();
        List<NodeProcess> ours = List.copyOf(all.subList(startedBefore, all.size()));
        List<String> alive = new java.util.ArrayList<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String stat;
                try {
                    stat = Files.readString(p.resolve("stat"));
                } catch (java.io.IOException e) {
                    continue; // gone meanwhile
                }
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (f[0].equals("Z")) continue;
                long pgrp = Long.parseLong(f[2]);
                if (ours.stream().anyMatch(g -> g.pgid() == pgrp)) alive.add(stat);
            }
        }
        assertThat(alive).as("processes left in groups %s", ours).isEmpty();
        if (!ours.isEmpty()) assertThat(ProcessRegistry.global().tracked()).doesNotContainAnyElementsOf(ours);
    }

    /** Where published files land: the test kit writes none unless told where (a dir per test descriptor). */
    private static final Path PUBLISHED = Path.of("target", "engine-test-kit");

    private static EngineExecutionResults run(Class<?> c) {
        OutputDirectoryCreator dirs = new OutputDirectoryCreator() {
            @Override
            public Path getRootDirectory() {
                return PUBLISHED;
            }

            @Override
            public Path createOutputDirectory(TestDescriptor d) throws java.io.IOException {
                return Files.createDirectories(PUBLISHED.resolve(Integer.toHexString(d.getUniqueId().toString().hashCode())));
            }
        };
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(c)).outputDirectoryCreator(dirs).execute();
    }

    /** Display name → status of each finished invocation. */
    private static Map<String, TestExecutionResult.Status> outcomes(EngineExecutionResults r) {
        return r.testEvents().finished().stream().collect(java.util.stream.Collectors.toMap(e -> e.getTestDescriptor().getDisplayName(),
                e -> e.getRequiredPayload(TestExecutionResult.class).getStatus(), (a, b) -> a, java.util.LinkedHashMap::new));
    }

    /** Each finished test with how it ended, for assertion messages. */
    private static String describe(EngineExecutionResults r) {
        StringBuilder sb = new StringBuilder();
        r.allEvents().finished().stream().forEach(e -> {
            TestExecutionResult x = e.getRequiredPayload(TestExecutionResult.class);
            sb.append(e.getTestDescriptor().getDisplayName()).append(": ").append(x.getStatus());
            x.getThrowable().ifPresent(t -> sb.append("\n").append(t));
            sb.append('\n');
        });
        return sb.toString();
    }

    private static Optional<Throwable> thrown(EngineExecutionResults r, String displayName) {
        return r.testEvents().finished().stream().filter(e -> e.getTestDescriptor().getDisplayName().equals(displayName))
                .findFirst().flatMap(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable());
    }

    @Test
    void eachCellOfTheBundledServerIsAPassingInvocationAndTheReportsArePublished() {
        EngineExecutionResults r = run(BundledSample.class);
        assertThat(outcomes(r)).as(describe(r)).containsExactly(
                Map.entry("[always × kill]", TestExecutionResult.Status.SUCCESSFUL),
                Map.entry("[always × restart]", TestExecutionResult.Status.SUCCESSFUL),
                Map.entry("[everysec × kill]", TestExecutionResult.Status.SUCCESSFUL),
                Map.entry("[everysec × restart]", TestExecutionResult.Status.SUCCESSFUL));

        Path out = Path.of("target", "lossmeter", "BundledSample.bundledServer");
        assertThat(out.resolve("results.json")).isRegularFile();
        assertThat(out.resolve("report.html")).isRegularFile();
        assertThat(out.resolve("junit.xml")).isRegularFile();
        List<ReportEntry> entries = r.allEvents().stream().filter(e -> e.getType() == EventType.REPORTING_ENTRY_PUBLISHED)
                .map(e -> e.getRequiredPayload(ReportEntry.class)).toList();
        assertThat(entries).anySatisfy(e -> assertThat(e.getKeyValuePairs()).containsEntry("lossmeter.seed", "7")
                .containsEntry("lossmeter.results", out.toAbsolutePath().toString()));
        List<Path> files = r.allEvents().stream().filter(e -> e.getType() == EventType.FILE_ENTRY_PUBLISHED)
                .map(e -> e.getRequiredPayload(FileEntry.class).getPath()).toList();
        assertThat(files).extracting(p -> p.getFileName().toString()).contains("report.html", "junit.xml", "results.json");
        assertThat(files).allSatisfy(p -> assertThat(p).isRegularFile());
        assertThat(files.stream().filter(p -> p.getFileName().toString().equals("report.html")).findFirst().orElseThrow())
                .hasSameTextualContentAs(out.resolve("report.html"));
    }

    @Test
    void aBrokenPromiseFailsItsCellWithTheEvidence() throws Exception {
        EngineExecutionResults r = run(UnsafeSample.class);
        assertThat(outcomes(r)).as(describe(r)).containsEntry("[always × kill]", TestExecutionResult.Status.FAILED);
        Throwable t = thrown(r, "[always × kill]").orElseThrow();
        assertThat(t).as(describe(r)).isInstanceOf(AssertionError.class).hasMessageContaining("Expecting the cell always × kill of bundled:")
                .hasMessageContaining("LOST_ACKED").hasMessageContaining("reproduce: ./lossmeter run --target 'bundled:")
                .hasMessageContaining("--seed 11 --only always-kill-");
        Path out = Path.of("target", "lossmeter", "UnsafeSample.repliesBeforeTheAofWrite");
        assertThat(Files.readString(out.resolve("results.json"))).contains("\"verdict\" : \"FAIL\"");
    }

    @Test
    void aMissingPrerequisiteIsSkippedWithTheReasonOrFailsInCi() {
        EngineExecutionResults r = run(UnsafeSample.MissingRedis.class);
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        assertThat(outcomes(r)).containsExactly(Map.entry("[always × kill]",
                ci ? TestExecutionResult.Status.FAILED : TestExecutionResult.Status.ABORTED));
        assertThat(thrown(r, "[always × kill]").orElseThrow()).hasMessageContaining("no executable redis-server at /nonexistent/redis-server");
        assertThat(Path.of("target", "lossmeter", "MissingRedis.realRedis")).doesNotExist();
    }
}
