package lossmeter.harness.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import lossmeter.faults.FaultSpec;
import lossmeter.faults.Faults;
import lossmeter.faults.node.CommandResult;
import lossmeter.faults.node.Node;
import lossmeter.faults.node.NodeException;
import lossmeter.harness.node.HostKeyException;
import lossmeter.harness.node.NodeSpec;
import lossmeter.harness.node.container.ContainerNode;
import lossmeter.harness.node.ssh.SshNode;
import lossmeter.harness.run.ExitCode;
import lossmeter.harness.target.Target;
import lossmeter.harness.target.TargetConfigException;
import lossmeter.harness.target.Targets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lossmeter nodes check}: can each node run the campaign's target and faults? */
@Command(name = "nodes", description = "Inspect the nodes a campaign would run on.", mixinStandardHelpOptions = true,
        subcommands = NodesCommand.Check.class)
final class NodesCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Connect to each node and show what it has: host key, JDK, redis-server, FUSE, free disk, clock offset.",
                    "Exit 0 when every node can run the target and faults, 3 (with what to install) when one cannot or is unreachable,",
                    "2 for bad flags or a host key that is unknown or changed."})
    static final class Check implements Callable<Integer> {
        private static final Duration TIMEOUT = Duration.ofSeconds(30);
        /** Facts a node reports in one round trip. */
        private static final String FACTS = """
                if command -v redis-server >/dev/null 2>&1; then echo "redis=$(redis-server --version 2>&1 | head -n 1)"; else echo redis=; fi
                if [ -c /dev/fuse ]; then echo devfuse=yes; else echo devfuse=no; fi
                if command -v fusermount3 >/dev/null 2>&1; then echo fusermount3=yes; else echo fusermount3=no; fi
                mkdir -p /var/tmp 2>/dev/null; echo "freekb=$(df -Pk /var/tmp | awk 'NR==2 {print $4}')"
                """;

        @Spec
        CommandSpec spec;
        @Mixin
        NodeOptions nodeOptions = new NodeOptions();
        @Option(names = "--target", paramLabel = "SPEC", defaultValue = "bundled", description = "the target the nodes must run (default: ${DEFAULT-VALUE})")
        String target;
        @Option(names = "--faults", paramLabel = "LIST", defaultValue = "kill", description = "the faults the nodes must support (default: ${DEFAULT-VALUE})")
        String faults;

        @Override
        public Integer call() {
            List<NodeSpec> nodes;
            Target t;
            List<FaultSpec> fs;
            try {
                if (nodeOptions.nodes == null) throw new IllegalArgumentException("name the nodes to check with --nodes");
                nodes = nodeOptions.specs();
                t = Targets.parse(target);
                fs = RunCommand.list(faults).stream().map(Faults::byName).toList();
            } catch (IllegalArgumentException | TargetConfigException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            PrintWriter out = spec.commandLine().getOut();
            boolean fuse = fs.stream().anyMatch(FaultSpec::needsFuse);
            List<Map<String, String>> rows = new ArrayList<>();
            Set<String> todo = new LinkedHashSet<>();
            ExitCode code = ExitCode.PASS;
            for (NodeSpec n : nodes) {
                Map<String, String> row = new LinkedHashMap<>();
                row.put("node", n.name());
                try (Node node = n.open()) {
                    row.put("reachable", "yes");
                    row.put("host key", node instanceof SshNode s ? s.hostKey() : "-");
                    List<String> missing = inspect(node, t, fuse, row);
                    for (String m : missing) todo.add(n.name() + ": " + m);
                    if (!missing.isEmpty()) code = code.and(ExitCode.INFRA);
                } catch (HostKeyException e) {
                    row.put("reachable", "refused: host key");
                    todo.add(n.name() + ": " + e.getMessage());
                    code = code.and(ExitCode.USAGE);
                } catch (NodeException e) {
                    row.put("reachable", "no");
                    todo.add(n.name() + ": unreachable: " + e.getMessage());
                    code = code.and(ExitCode.INFRA);
                }
                rows.add(row);
            }
            out.print(table(rows));
            if (todo.isEmpty()) {
                out.println("every node can run " + t.spec() + " with " + String.join(",", fs.stream().map(FaultSpec::name).toList()));
            } else {
                out.println();
                out.println("to fix:");
                for (String s : todo) out.println("  " + s);
            }
            out.flush();
            return code.code();
        }

        /** Fills the row; returns what the node lacks for the target and faults. */
        private static List<String> inspect(Node node, Target t, boolean fuse, Map<String, String> row) {
            List<String> missing = new ArrayList<>();
            String jdk;
            if (node instanceof SshNode s) {
                try {
                    jdk = s.javaHome();
                } catch (NodeException e) {
                    jdk = null;
                }
            } else if (node instanceof ContainerNode c) {
                jdk = c.runtime();
            } else {
                jdk = System.getProperty("java.home") + " (" + Runtime.version().feature() + ")";
            }
            row.put("JDK", jdk == null ? "none ≥ 25" : jdk);
            if (fuse && jdk == null) missing.add("a JDK 25 or newer for lossyfs (e.g. a Temurin 25 package)");
            try {
                // The target's own check: a JDK and lossmeter's jars for bundled, redis-server for redis, the command for cmd:.
                t.validate(node);
            } catch (TargetConfigException | NodeException e) {
                missing.add(t.spec() + ": " + e.getMessage());
            }
            CommandResult r = node.run(List.of("sh", "-c", FACTS), TIMEOUT);
            Map<String, String> facts = new LinkedHashMap<>();
            for (String line : r.output().split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) facts.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
            String redis = facts.getOrDefault("redis", "");
            java.util.regex.Matcher v = java.util.regex.Pattern.compile("v=(\\S+)").matcher(redis);
            row.put("redis-server", redis.isEmpty() ? "none" : v.find() ? v.group(1) : redis);
            boolean dev = "yes".equals(facts.get("devfuse"));
            // A container mounts as root with SYS_ADMIN, with the libfuse3 of lossmeter's tools: no fusermount3 needed.
            boolean fm = node instanceof ContainerNode c ? c.files().exists(java.nio.file.Path.of("/.lossmeter/lib/libfuse3.so.3"))
                    : "yes".equals(facts.get("fusermount3"));
            row.put("FUSE", dev && fm ? "yes" : (dev ? "" : "no /dev/fuse ") + (fm ? "" : node instanceof ContainerNode ? "no libfuse3" : "no fusermount3"));
            if (fuse && !(dev && fm)) missing.add("FUSE for the lossyfs faults: /dev/fuse and fusermount3 (Debian: apt-get install fuse3 libfuse3-3)");
            String kb = facts.get("freekb");
            row.put("free disk", kb == null || kb.isEmpty() ? "?" : (Long.parseLong(kb) / 1024) + " MiB");
            // A container reads the host's own clock.
            row.put("clock offset", node instanceof ContainerNode ? "0 ms (the host's clock)" : clockOffset(node));
            return missing;
        }

        /**
         * The node's clock minus the harness's, from the quickest of five round trips of {@code date}:
         * the node read its clock somewhere in the round trip, so the error is at most half of it.
         */
        private static String clockOffset(Node node) {
            long bestRtt = Long.MAX_VALUE;
            long offset = 0;
            for (int i = 0; i < 5; i++) {
                long before = System.currentTimeMillis();
                CommandResult r = node.run(List.of("date", "+%s%N"), TIMEOUT);
                long after = System.currentTimeMillis();
                String t = r.output().strip();
                if (!r.ok() || !t.matches("\\d+")) return "?";
                if (after - before < bestRtt) {
                    bestRtt = after - before;
                    offset = Long.parseLong(t) / 1_000_000 - (before + after) / 2;
                }
            }
            return offset + " ms (±" + (bestRtt + 1) / 2 + ")";
        }

        static String table(List<Map<String, String>> rows) {
            List<String> cols = new ArrayList<>();
            for (Map<String, String> r : rows) for (String k : r.keySet()) if (!cols.contains(k)) cols.add(k);
            Map<String, Integer> width = new LinkedHashMap<>();
            for (String c : cols) {
                int w = c.length();
                for (Map<String, String> r : rows) w = Math.max(w, r.getOrDefault(c, "").length());
                width.put(c, w);
            }
            StringBuilder sb = new StringBuilder();
            for (String c : cols) sb.append(String.format("%-" + width.get(c) + "s  ", c));
            sb.setLength(sb.length() - 2);
            sb.append('\n');
            for (Map<String, String> r : rows) {
                StringBuilder line = new StringBuilder();
                for (String c : cols) line.append(String.format("%-" + width.get(c) + "s  ", r.getOrDefault(c, "")));
                sb.append(line.toString().stripTrailing()).append('\n');
            }
            return sb.toString();
        }
    }
}
