package lossmeter.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import lossmeter.server.resp.InlineArgs;

/**
 * Builds a {@link ServerConfig} from a redis.conf-style file and {@code --directive value…}
 * arguments, with redis.conf's names and value syntax. Everything is validated before the
 * server touches any file; the first bad line is reported with where it came from.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /** A rejected line: where it was read, the line itself, and why. */
    public static final class Failure extends Exception {
        private final String where;
        private final String line;

        Failure(String where, String line, String reason) {
            super(reason, null, false, false);
            this.where = where;
            this.line = line;
        }

        /** The message in the shape Redis prints for a fatal config error. */
        public String report() {
            return "\n*** FATAL CONFIG ERROR (lossmeter target-server) ***\n" + where + "\n>>> '" + line + "'\n" + getMessage();
        }
    }

    /** Parses the server's arguments: an optional config file first, then {@code --name value…} pairs. */
    public static ServerConfig fromArgs(String[] args) throws Failure {
        ServerConfig cfg = new ServerConfig();
        int i = 0;
        if (args.length > 0 && !args[0].startsWith("--")) {
            Path file = Path.of(args[0]);
            cfg.configFile = file.toAbsolutePath().toString();
            loadFile(cfg, file, 0);
            i = 1;
        }
        int n = 0;
        while (i < args.length) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() < 3) {
                throw new Failure("Reading the command line, argument " + (i + 1), a,
                        "expected --directive followed by its value(s)");
            }
            String name = a.substring(2);
            List<String> values = new ArrayList<>();
            i++;
            while (i < args.length && !(args[i].startsWith("--") && args[i].length() > 2 && Character.isLetter(args[i].charAt(2)))) {
                values.add(args[i]);
                i++;
            }
            n++;
            apply(cfg, name, values.toArray(new String[0]), "Reading the command line, option " + n,
                    name + (values.isEmpty() ? "" : " " + String.join(" ", values)));
        }
        try {
            cfg.validate();
        } catch (ConfigException e) {
            throw new Failure("Checking the configuration", "enable-unsafe-durability-switches", e.getMessage());
        }
        return cfg;
    }

    private static void loadFile(ServerConfig cfg, Path file, int depth) throws Failure {
        if (depth > 10) throw new Failure("Reading " + file, "include " + file, "include nesting too deep");
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Failure("Opening the configuration file", file.toString(), "Fatal error, can't open config file '"
                    + file + "': " + e.getMessage());
        }
        for (int ln = 0; ln < lines.size(); ln++) {
            String line = lines.get(ln).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String where = "Reading the configuration file " + file + ", at line " + (ln + 1);
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            List<byte[]> parts = InlineArgs.split(bytes, 0, bytes.length);
            if (parts == null) throw new Failure(where, line, "Unbalanced quotes in configuration line");
            if (parts.isEmpty()) continue;
            String name = new String(parts.get(0), StandardCharsets.UTF_8);
            String[] values = new String[parts.size() - 1];
            for (int k = 1; k < parts.size(); k++) values[k - 1] = new String(parts.get(k), StandardCharsets.UTF_8);
            if (name.equalsIgnoreCase("include")) {
                if (values.length != 1) throw new Failure(where, line, "include takes one file");
                loadFile(cfg, Path.of(values[0]), depth + 1);
                continue;
            }
            apply(cfg, name, values, where, line);
        }
    }

    private static void apply(ServerConfig cfg, String name, String[] values, String where, String line) throws Failure {
        try {
            if (!cfg.isDirective(name)) throw new ConfigException("Bad directive or wrong number of arguments");
            if (name.equalsIgnoreCase("save")) {
                cfg.addSaveLine(values.length == 0 ? new String[]{""} : values);
            } else {
                cfg.set(name, values);
            }
        } catch (ConfigException e) {
            throw new Failure(where, line, e.getMessage());
        }
    }
}
