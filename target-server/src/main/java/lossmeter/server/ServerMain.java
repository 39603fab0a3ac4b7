package lossmeter.server;

import java.io.IOException;
import java.util.Arrays;

import lossmeter.server.aof.AofCheck;
import lossmeter.server.config.ConfigLoader;
import lossmeter.server.config.ServerConfig;
import lossmeter.server.log.Log;
import lossmeter.server.rdb.RdbCheck;

/**
 * Entry point of the bundled server and its file tools: {@code server [redis.conf] [--directive value…]},
 * {@code check-aof [--fix] [--yes] FILE}, {@code check-rdb FILE}.
 */
public final class ServerMain {
    private ServerMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String[] args) {
        if (args.length == 0) {
            System.err.println(usage());
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "server" -> server(rest);
            case "check-aof" -> AofCheck.main(rest, System.in, System.out, System.err);
            case "check-rdb" -> RdbCheck.main(rest, System.out, System.err);
            case "--help", "-h", "help" -> {
                System.out.println(usage());
                yield 0;
            }
            default -> {
                System.err.println("unknown command '" + args[0] + "'\n" + usage());
                yield 2;
            }
        };
    }

    private static int server(String[] args) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(serverUsage());
            return 0;
        }
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-v"))) {
            System.out.println("lossmeter target-server v=0.1.0 (Redis 7.0 compatible)");
            return 0;
        }
        ServerConfig cfg;
        try {
            cfg = ConfigLoader.fromArgs(args);
        } catch (ConfigLoader.Failure f) {
            System.err.println(f.report());
            return 1;
        }
        Log log;
        try {
            log = cfg.logfile.isEmpty() ? Log.toStdout() : Log.toFile(cfg.logfile);
        } catch (IOException e) {
            System.err.println("Can't open the log file: " + e.getMessage());
            return 1;
        }
        log.level(cfg.loglevel);
        try {
            return new Server(cfg, log).run();
        } catch (IOException e) {
            log.warning("Can't start the server: " + e.getMessage());
            return 1;
        }
    }

    static String usage() {
        return """
                usage: lossmeter server [/path/to/redis.conf] [--directive value ...]
                       lossmeter check-aof [--fix] [--yes] <file.aof>
                       lossmeter check-rdb <dump.rdb>

                  server     the bundled Redis-compatible server (RESP2, AOF with appendfsync always|everysec|no)
                  check-aof  validate an append-only file; --fix truncates it to the last valid command
                  check-rdb  validate an RDB file's structure and checksum (exit 0 valid, 1 invalid, 2 usage)
                """;
    }

    static String serverUsage() {
        return """
                usage: lossmeter server [/path/to/redis.conf] [--directive value ...]

                Directives use redis.conf's names and value syntax, e.g.
                  lossmeter server --port 6390 --dir ./data --appendonly yes --appendfsync everysec
                  lossmeter server ./redis.conf --port 0 --save ""
                --port 0 picks a free port; the log line 'Ready to accept connections tcp port=N' names it.
                An unknown directive or a bad value is reported and the server exits with status 1
                before it touches any file.
                """;
    }
}
