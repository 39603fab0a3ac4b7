package lossmeter.harness.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import lossmeter.faults.Faults;
import lossmeter.faults.target.Policy;
import lossmeter.harness.node.FileTrees;
import lossmeter.reports.model.ResultsFiles;

/**
 * {@code lossmeter merge}: the results dirs of the shards of one campaign ({@code run --shard I/N},
 * every I from 1 to N once) made into one results dir whose results.json, report.html and junit.xml
 * say what one unsharded run of the campaign would: the trials of every shard in the campaign's
 * order, the cells summed over them, and the gate, the effect rule and the verdict judged again on
 * the sums. Where and when it ran (startedAt, durationMs, machine, nodes) is the shards' — the
 * earliest start, the longest shard.
 */
public final class Merge {
    private Merge() {
    }

    /** Checks the shards and writes the merged results dir; a bad set of shards is an IllegalArgumentException (nothing written). */
    public static ExitCode merge(Path out, List<Path> dirs, String command, PrintWriter printer) throws IOException {
        CampaignRun.checkOut(out);
        if (dirs.isEmpty()) throw new IllegalArgumentException("name the shards' results dirs to merge");
        List<ObjectNode> shards = new ArrayList<>();
        for (Path d : dirs) {
            Path f = d.resolve(ResultsJson.FILE);
            if (!Files.isRegularFile(f)) throw new IllegalArgumentException(d + " is not a results dir: it has no " + ResultsJson.FILE);
            JsonNode n = Json.PRETTY.readTree(f.toFile());
            if (!(n instanceof ObjectNode o) || !o.hasNonNull("shard") || !o.hasNonNull("plan")) {
                throw new IllegalArgumentException(d + " is not a shard of a campaign (it was not run with --shard I/N)");
            }
            shards.add(o);
        }
        check(dirs, shards);
        ObjectNode first = shards.getFirst();
        JsonNode plan = first.get("plan");
        List<String> policies = strings(plan.get("policies"));
        List<String> faults = strings(plan.get("faults"));

        List<JsonNode> trials = new ArrayList<>();
        for (ObjectNode s : shards) s.get("trials").forEach(trials::add);
        trials.sort(Comparator.comparingInt((JsonNode t) -> policies.indexOf(TrialId.parse(t.get("trial").asText()).policy().confName()))
                .thenComparingInt(t -> faults.indexOf(TrialId.parse(t.get("trial").asText()).fault()))
                .thenComparingInt(t -> TrialId.parse(t.get("trial").asText()).n()));

        Map<String, ObjectNode> cells = new LinkedHashMap<>();
        for (String p : policies) for (String f : faults) cells.put(p + "-" + f, null);
        for (ObjectNode s : shards) {
            for (JsonNode c : s.get("cells")) {
                String key = c.get("policy").asText() + "-" + c.get("fault").asText();
                ObjectNode have = cells.get(key);
                cells.put(key, have == null ? ((ObjectNode) c).deepCopy() : add(have, c));
            }
        }
        double requireEffect = first.get("requireEffectPercent").asDouble();
        LossGate gate = LossGate.parse(first.get("gate").asText());
        ArrayNode cellArray = Json.PRETTY.createArrayNode();
        ArrayNode overGate = Json.PRETTY.createArrayNode();
        boolean noEffect = false;
        for (var e : cells.entrySet()) {
            ObjectNode c = e.getValue();
            if (c == null) continue;
            long injected = c.path("injected").asLong();
            boolean none = injected > 0 && c.path("effective").asLong() * 100.0 < requireEffect * injected;
            c.put("noEffect", none);
            noEffect |= none;
            if (Faults.byName(c.get("fault").asText()).policyGoverned()
                    && gate.exceeded(Policy.parse(c.get("policy").asText()), c.get("maxLossWindowMs").asLong())) {
                overGate.add(e.getKey());
            }
            cellArray.add(c);
        }
        List<String> aborted = new ArrayList<>();
        for (ObjectNode s : shards) if (s.hasNonNull("aborted")) aborted.add("shard " + s.get("shard").asText() + ": " + s.get("aborted").asText());
        boolean trialsPass = !trials.isEmpty() && trials.stream().allMatch(t -> t.get("reproduce").isNull());
        boolean passes = aborted.isEmpty() && overGate.isEmpty() && !noEffect && trialsPass;
        boolean indeterminate = !aborted.isEmpty() || trials.isEmpty()
                || trials.stream().anyMatch(t -> t.get("verdict").asText().equals("INDETERMINATE"));

        ObjectNode top = Json.PRETTY.createObjectNode();
        top.put("verdict", passes ? "PASS" : "FAIL");
        top.set("seed", first.get("seed"));
        top.set("target", first.get("target"));
        top.set("cells", cellArray);
        top.set("targetVersion", shards.stream().map(s -> s.get("targetVersion")).filter(v -> v != null && !v.isNull()).findFirst()
                .orElse(Json.PRETTY.nullNode()));
        top.put("command", command);
        for (String k : List.of("workload", "gate")) top.set(k, first.get(k));
        top.set("overGate", overGate);
        for (String k : List.of("requireEffectPercent", "crashPoint")) top.set(k, first.get(k));
        top.put("startedAt", shards.stream().map(s -> s.get("startedAt").asText()).min(Comparator.naturalOrder()).orElse(""));
        top.put("durationMs", shards.stream().mapToLong(s -> s.get("durationMs").asLong()).max().orElse(0));
        if (aborted.isEmpty()) top.putNull("aborted");
        else top.put("aborted", String.join("; ", aborted));
        top.set("machine", first.get("machine"));
        Set<String> nodes = new LinkedHashSet<>();
        for (ObjectNode s : shards) s.path("nodes").forEach(n -> nodes.add(n.asText()));
        ArrayNode nodeArray = top.putArray("nodes");
        nodes.forEach(nodeArray::add);
        top.put("parallel", shards.stream().mapToInt(s -> s.path("parallel").asInt(1)).max().orElse(1));
        top.set("plan", plan);
        ArrayNode trialArray = top.putArray("trials");
        trials.forEach(trialArray::add);

        Files.createDirectories(out.resolve(ResultsFiles.TRIALS));
        for (Path d : dirs) {
            Path from = d.resolve(ResultsFiles.TRIALS);
            if (!Files.isDirectory(from)) continue;
            try (var s = Files.list(from)) {
                for (Path t : s.sorted().toList()) FileTrees.copy(t, out.resolve(ResultsFiles.TRIALS).resolve(t.getFileName().toString()));
            }
        }
        Json.PRETTY.writeValue(out.resolve(ResultsJson.FILE).toFile(), top);
        printer.printf("merged %d shards: %d trials, %s%n", shards.size(), trials.size(), passes ? "PASS" : "FAIL");
        printer.println("results: " + out.resolve(ResultsJson.FILE));
        ReportStep.write(out, null, printer);
        return passes ? ExitCode.PASS : indeterminate ? ExitCode.INFRA : ExitCode.FINDING;
    }

    /** Same campaign, each shard once, 1..N all there, no trial twice, every trial of the plan run unless a shard stopped early. */
    private static void check(List<Path> dirs, List<ObjectNode> shards) {
        String campaign = shards.getFirst().get("plan").get("campaign").asText();
        Set<Integer> seen = new HashSet<>();
        int count = -1;
        for (int i = 0; i < shards.size(); i++) {
            ObjectNode s = shards.get(i);
            if (!s.get("plan").get("campaign").asText().equals(campaign)) {
                throw new IllegalArgumentException(dirs.get(i) + " is a shard of another campaign:\n  " + s.get("plan").get("campaign").asText()
                        + "\nnot\n  " + campaign);
            }
            Shard shard = Shard.parse(s.get("shard").asText());
            if (count == -1) count = shard.count();
            if (shard.count() != count) throw new IllegalArgumentException(dirs.get(i) + " is shard " + shard + ", of another split than " + count);
            if (!seen.add(shard.index())) throw new IllegalArgumentException("shard " + shard + " is given twice (" + dirs.get(i) + ")");
        }
        List<Integer> missing = new ArrayList<>();
        for (int k = 1; k <= count; k++) if (!seen.contains(k)) missing.add(k);
        if (!missing.isEmpty()) throw new IllegalArgumentException("shards " + missing + " of " + count + " are missing");
        Set<String> names = new HashSet<>();
        for (int i = 0; i < shards.size(); i++) {
            for (JsonNode t : shards.get(i).get("trials")) {
                if (!names.add(t.get("trial").asText())) {
                    throw new IllegalArgumentException("trial " + t.get("trial").asText() + " is in two shards (" + dirs.get(i) + ")");
                }
            }
        }
        int planned = shards.getFirst().get("plan").get("trials").asInt();
        boolean anyAborted = shards.stream().anyMatch(s -> s.hasNonNull("aborted"));
        if (names.size() != planned && !anyAborted) {
            throw new IllegalArgumentException("the shards hold " + names.size() + " trials, the campaign has " + planned);
        }
    }

    private static ObjectNode add(ObjectNode into, JsonNode c) {
        for (String k : List.of("trials", "crashes", "injected", "effective", "ackedWrites", "lostAcked", "violations", "unavailable")) {
            if (into.has(k)) into.put(k, into.get(k).asLong() + c.path(k).asLong());
        }
        for (String k : List.of("maxLossWindowMs", "maxLossWindowUpperMs")) {
            if (into.has(k)) into.put(k, Math.max(into.get(k).asLong(), c.path(k).asLong()));
        }
        ObjectNode anomalies = (ObjectNode) into.get("anomalies");
        c.path("anomalies").properties().forEach(e -> anomalies.put(e.getKey(), anomalies.path(e.getKey()).asLong() + e.getValue().asLong()));
        return into;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
