package lossmeter.harness.target;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import lossmeter.faults.node.Node;
import lossmeter.faults.node.Shell;
import lossmeter.faults.node.NodeProcess;
import lossmeter.faults.target.Endpoint;
import lossmeter.faults.target.Policy;
import lossmeter.faults.target.RunningTarget;

/**
 * Any Redis-protocol server started by a shell command template, run with {@code sh -c} in its own
 * process group. {@code {port}}, {@code {dir}} and {@code {fsync}} are replaced (shell-quoted) by
 * the start's port, data dir and policy; {@code {port}} is required, since readiness and clients
 * need to know where it listens.
 */
final class CommandTarget implements Target {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");
    /** Words that make the first word not a program to look up. */
    private static final Set<String> SHELL_WORDS = Set.of("exec", "env", "nice", "nohup", "cd", ".", "if", "for", "while",
            "case", "{", "(", "!", "time", "command", "eval", "set", "export", "ulimit", "umask", "true", ":");

    private final String template;

    CommandTarget(String template) {
        this.template = template;
    }

    @Override
    public String spec() {
        return "cmd:" + template;
    }

    @Override
    public void validate(Node node) {
        if (template.isBlank()) throw new TargetConfigException("--target cmd: needs a command template after the colon");
        if (!template.contains("{port}")) {
            throw new TargetConfigException("the cmd: template has no {port} placeholder, so lossmeter cannot tell the server "
                    + "where to listen: e.g. cmd:./my-server --port {port} --dir {dir} --appendfsync {fsync}");
        }
        String program = firstWord(template);
        if (program == null) return;
        boolean found = program.contains("/") ? node.run(List.of("test", "-x", program), java.time.Duration.ofSeconds(30)).ok()
                : node.which(program).isPresent();
        if (!found) {
            throw new TargetConfigException("the cmd: template starts with '" + program + "', which is "
                    + (program.contains("/") ? "not an executable file" : "not on the PATH"));
        }
    }

    /** The program the template runs, when it is a plain word that can be checked; null when it is shell syntax. */
    static String firstWord(String template) {
        String[] words = template.trim().split("\\s+");
        if (words.length == 0 || words[0].isEmpty()) return null;
        String w = words[0];
        if (SHELL_WORDS.contains(w) || w.contains("=") || w.contains("{") || !SAFE.matcher(w).matches()) return null;
        return w;
    }

    @Override
    public RunningTarget start(Node node, Launch launch) {
        if (!launch.directives().isEmpty()) {
            // A template's configuration is the user's; silently ignoring what a fault needs would judge the wrong setup.
            throw new TargetConfigException("a cmd: target cannot take the server directives this fault needs ("
                    + launch.directives() + "); put them in the template or use --target bundled or redis");
        }
        int port = node.freePort();
        String command = render(template, port, node.bindAddress(), launch.dataDir(), launch.policy());
        // The harness's working directory, so templates like ./my-server resolve as the user typed them.
        NodeProcess p = node.start(List.of("sh", "-c", command), null, Map.of(), launch.log());
        return new ProcessTarget(node, p, node.endpoint(port));
    }

    static String render(String template, int port, String bind, Path dataDir, Policy policy) {
        return template.replace("{port}", Integer.toString(port))
                .replace("{bind}", bind)
                .replace("{dir}", Shell.quote(dataDir.toString()))
                .replace("{fsync}", policy.confName());
    }
}
