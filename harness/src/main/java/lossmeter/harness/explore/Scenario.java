package lossmeter.harness.explore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import lossmeter.faults.CrashPoint;
import lossmeter.faults.Faults;
import lossmeter.faults.lossyfs.IoOp;
import lossmeter.faults.target.Policy;
import lossmeter.harness.client.JedisKvClient;
import lossmeter.harness.run.Durations;
import lossmeter.harness.run.Json;
import lossmeter.harness.run.TrialPlan;
import lossmeter.harness.run.TrialSettings;
import lossmeter.workloads.generator.OpMix;
import lossmeter.workloads.generator.Workload;

/**
 * Everything one trial does, fixed: the seed its ops and the faults' draws come from, the target
 * and extra directives, the policy, the fault, the op mix over {@code keys} counter and list keys,
 * the client processes, how crash moments are chosen, and per crash cycle the ops invoked before
 * the fault and (for an aimed fault) the I/O operation it strikes at. {@code scenario.json} holds
 * it (docs/scenario.md); {@code lossmeter replay} runs it.
 */
public record Scenario(long seed, String target, Map<String, String> directives, Policy policy, String fault, OpMix mix, int keys,
                       int clients, CrashPoint.Mode crashPoint, Duration window, Duration opTimeout, List<Cycle> cycles) {
    public static final String FORMAT = "lossmeter-scenario";
    public static final int VERSION = 1;
    public static final String FILE = lossmeter.reports.model.ResultsFiles.SCENARIO;
    /** The workload's name in results and reports. */
    static final String WORKLOAD = "scenario";
    private static final Set<String> FIELDS = Set.of("format", "version", "seed", "target", "directives", "policy", "fault", "mix", "keys",
            "clients", "crashPoint", "window", "opTimeout", "cycles");
    private static final Set<String> CYCLE_FIELDS = Set.of("ops", "crashPoint");
    private static final Set<String> POINT_FIELDS = Set.of("phase", "op", "n", "glob");
    /** The JSON Schema of the format, in the harness's jar (a copy is docs/scenario.schema.json). */
    public static final String SCHEMA_RESOURCE = "/lossmeter/harness/explore/scenario.schema.json";

    /** One crash cycle: ops invoked before the fault, and the aimed crash point (null: drawn when it runs). */
    public record Cycle(long ops, CrashPoint point) {
        public Cycle {
            if (ops < 0) throw new IllegalArgumentException("a cycle's ops must be ≥ 0, not " + ops);
            if (point != null && point.mode() != CrashPoint.Mode.IO) point = null;
        }
    }

    public Scenario {
        directives = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(directives));
        cycles = List.copyOf(cycles);
        if (target == null || target.isBlank()) throw new IllegalArgumentException("a scenario needs a target");
        Faults.byName(fault);
        if (keys < 1) throw new IllegalArgumentException("keys must be ≥ 1, not " + keys);
        if (clients < 1) throw new IllegalArgumentException("clients must be ≥ 1, not " + clients);
        if (cycles.isEmpty()) throw new IllegalArgumentException("a scenario needs at least one crash cycle");
        if (window.isNegative()) throw new IllegalArgumentException("window must be ≥ 0");
        if (opTimeout.isNegative() || opTimeout.isZero()) throw new IllegalArgumentException("opTimeout must be positive");
    }

    /** The ops of all cycles. */
    public long ops() {
        return cycles.stream().mapToLong(Cycle::ops).sum();
    }

    /** The op kinds the mix draws (incr, push, txn, read, flush). */
    public List<String> opKinds() {
        List<String> kinds = new ArrayList<>();
        if (mix.incr() > 0) kinds.add("incr");
        if (mix.push() > 0) kinds.add("push");
        if (mix.txn() > 0) kinds.add("txn");
        if (mix.read() > 0) kinds.add("read");
        if (mix.flush() > 0) kinds.add("flush");
        return kinds;
    }

    public Scenario withCycles(List<Cycle> c) {
        return new Scenario(seed, target, directives, policy, fault, mix, keys, clients, crashPoint, window, opTimeout, c);
    }

    public Scenario withClients(int n) {
        return new Scenario(seed, target, directives, policy, fault, mix, keys, n, crashPoint, window, opTimeout, cycles);
    }

    public Scenario withKeys(int n) {
        return new Scenario(seed, target, directives, policy, fault, mix, n, clients, crashPoint, window, opTimeout, cycles);
    }

    public Scenario withMix(OpMix m) {
        return new Scenario(seed, target, directives, policy, fault, m, keys, clients, crashPoint, window, opTimeout, cycles);
    }

    /** One line for people: {@code always power-loss, 1 cycle (120 ops), 1 client, keys 1, incr=1}. */
    public String describe() {
        StringBuilder sb = new StringBuilder(policy.confName() + " " + fault + ", " + cycles.size() + " cycle" + (cycles.size() == 1 ? "" : "s")
                + " (" + String.join("+", cycles.stream().map(c -> Long.toString(c.ops())).toList()) + " ops), " + clients + " client"
                + (clients == 1 ? "" : "s") + ", keys " + keys + ", " + mix);
        for (Cycle c : cycles) {
            if (c.point() != null) {
                CrashPoint p = c.point();
                sb.append(", crash ").append(p.phase().word()).append(' ').append(p.op().word()).append(" #").append(p.n()).append(" of ")
                        .append(p.glob());
                break;
            }
        }
        if (!directives.isEmpty()) sb.append(", ").append(directives);
        return sb.toString();
    }

    /** The one-trial campaign that runs it on {@code fleet} into {@code out}; {@code replay} is the command printed to run it again. */
    public lossmeter.harness.run.CampaignSpec campaign(Path out, lossmeter.harness.run.Fleet fleet, String replay) {
        return new lossmeter.harness.run.CampaignSpec(lossmeter.harness.target.Targets.parse(target), List.of(policy),
                List.of(Faults.byName(fault)), 1, settings(replay), seed, out, lossmeter.harness.run.LossGate.defaults(window), null, 0, fleet,
                lossmeter.harness.run.Shard.ALL);
    }

    /** The trial settings that run it; {@code replay} is the command printed to run it again. */
    TrialSettings settings(String replay) {
        List<TrialPlan.Cycle> plan = cycles.stream().map(c -> new TrialPlan.Cycle(c.ops(), c.point())).toList();
        return new TrialSettings(new Workload(WORKLOAD, keys, mix), Duration.ofSeconds(1), cycles.size(), clients, window, opTimeout,
                TrialSettings.DEFAULT_READY_TIMEOUT, false, crashPoint, new TrialPlan(plan, directives, replay));
    }

    /** The file's contents: {@code format} and {@code version} first, durations as the command line writes them. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("version", VERSION);
        m.put("seed", seed);
        m.put("target", target);
        m.put("directives", directives);
        m.put("policy", policy.confName());
        m.put("fault", fault);
        m.put("mix", mix.toString());
        m.put("keys", keys);
        m.put("clients", clients);
        m.put("crashPoint", crashPoint.word());
        m.put("window", Durations.format(window));
        m.put("opTimeout", Durations.format(opTimeout));
        List<Map<String, Object>> cs = new ArrayList<>();
        for (Cycle c : cycles) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("ops", c.ops());
            if (c.point() != null) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("phase", c.point().phase().word());
                p.put("op", c.point().op().word());
                p.put("n", c.point().n());
                p.put("glob", c.point().glob());
                cm.put("crashPoint", p);
            } else {
                cm.put("crashPoint", null);
            }
            cs.add(cm);
        }
        m.put("cycles", cs);
        return m;
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Json.PRETTY.writeValue(file.toFile(), toJson());
    }

    /** Reads a scenario file; anything malformed is an IllegalArgumentException naming the file and the field. */
    public static Scenario read(Path file) throws IOException {
        String text = Files.readString(file);
        try {
            return parse(Json.PRETTY.readTree(text));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not JSON: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    public static Scenario parse(JsonNode n) {
        if (n == null || !n.isObject()) throw new IllegalArgumentException("a scenario is a JSON object");
        knownFields(n, FIELDS, "");
        if (!FORMAT.equals(text(n, "format"))) throw new IllegalArgumentException("format must be \"" + FORMAT + "\"");
        int version = integer(n, "version");
        if (version != VERSION) throw new IllegalArgumentException("version " + version + " is not supported (this lossmeter reads version " + VERSION + ")");
        Map<String, String> directives = new LinkedHashMap<>();
        JsonNode d = n.get("directives");
        if (d != null && !d.isNull()) {
            if (!d.isObject()) throw new IllegalArgumentException("directives must be an object of name → value");
            for (var it = d.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getValue().isTextual()) throw new IllegalArgumentException("directive '" + e.getKey() + "' must be a string");
                directives.put(e.getKey(), e.getValue().asText());
            }
        }
        JsonNode cs = n.get("cycles");
        if (cs == null || !cs.isArray()) throw new IllegalArgumentException("cycles must be an array");
        List<Cycle> cycles = new ArrayList<>();
        for (JsonNode c : cs) {
            if (!c.isObject()) throw new IllegalArgumentException("each cycle is an object {ops, crashPoint}");
            knownFields(c, CYCLE_FIELDS, "in a cycle ");
            long ops = longValue(c, "ops");
            JsonNode p = c.get("crashPoint");
            CrashPoint point = null;
            if (p != null && !p.isNull()) {
                if (!p.isObject()) throw new IllegalArgumentException("a cycle's crashPoint is an object {phase, op, n, glob} or null");
                knownFields(p, POINT_FIELDS, "in a crash point ");
                point = CrashPoint.planned(IoOp.Phase.parse(text(p, "phase")), IoOp.parse(text(p, "op")), longValue(p, "n"), text(p, "glob"));
            }
            cycles.add(new Cycle(ops, point));
        }
        return new Scenario(longValue(n, "seed"), text(n, "target"), directives, Policy.parse(text(n, "policy")), text(n, "fault"),
                OpMix.parse(text(n, "mix")), integer(n, "keys"), integer(n, "clients"),
                n.has("crashPoint") ? CrashPoint.Mode.parse(text(n, "crashPoint")) : CrashPoint.Mode.IO,
                n.has("window") ? Durations.parse(text(n, "window")) : Duration.ofSeconds(2),
                n.has("opTimeout") ? Durations.parse(text(n, "opTimeout")) : JedisKvClient.DEFAULT_OP_TIMEOUT, cycles);
    }

    private static void knownFields(JsonNode n, Set<String> fields, String where) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.contains(f)) {
                throw new IllegalArgumentException("unknown field '" + f + "' " + where + "(fields: " + String.join(", ", fields.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) throw new IllegalArgumentException("'" + field + "' must be a string");
        return v.asText();
    }

    private static long longValue(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) throw new IllegalArgumentException("'" + field + "' must be a whole number");
        return v.asLong();
    }

    private static int integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) throw new IllegalArgumentException("'" + field + "' must be a whole number");
        return v.asInt();
    }
}
