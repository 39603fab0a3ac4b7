package lossmeter.harness.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import lossmeter.harness.run.ExitCode;
import lossmeter.server.ServerMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The {@code lossmeter} command line. Exit codes: {@link ExitCode}, the same for every command. */
@Command(name = "lossmeter", mixinStandardHelpOptions = true, version = "lossmeter 0.1.0",
        description = "Crash-consistency fault-injection harness for Redis-style persistence.",
        subcommands = {RunCommand.class, ExploreCommand.class, ReplayCommand.class, NodesCommand.class, MergeCommand.class, FaultsCommand.class, DemoCommand.class, CheckCommand.class, ReportCommand.class, CompareCommand.class, CleanCommand.class, Main.ServerCmd.class, Main.CheckAofCmd.class})
public final class Main implements Runnable {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return run(new PrintWriter(System.out, true, StandardCharsets.UTF_8), new PrintWriter(System.err, true, StandardCharsets.UTF_8), args);
    }

    /** Runs the command line with its output going to the given writers (tests capture them). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        // Last one wins, so a printed reproduce command can be rerun with a flag appended.
        cl.setOverwrittenOptionsAllowed(true);
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("lossmeter: " + ex.getMessage());
            // The message says what is wrong; the full usage would bury it.
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for the options.");
            c.getErr().flush();
            return ExitCode.USAGE.code();
        });
        // The server and its tools take redis-style arguments that picocli must pass through untouched.
        cl.getSubcommands().get("server").setUnmatchedOptionsArePositionalParams(true);
        cl.getSubcommands().get("check-aof").setUnmatchedOptionsArePositionalParams(true);
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println("lossmeter: " + ex);
            c.getErr().flush();
            return ExitCode.INFRA.code();
        });
        int code;
        try {
            code = cl.execute(args);
        } catch (Error e) {
            // An Error escaping picocli (OutOfMemoryError above all) would exit 1, which means "a
            // finding about the target": the harness failed, so say so and exit 3.
            err.println("lossmeter: the harness failed: " + e);
            code = ExitCode.INFRA.code();
        }
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** The bundled server; arguments go to it unchanged (redis.conf syntax). */
    @Command(name = "server", description = "Run the bundled Redis-compatible server (see 'lossmeter server --help').",
            mixinStandardHelpOptions = false)
    static final class ServerCmd implements java.util.concurrent.Callable<Integer> {
        @Parameters(arity = "0..*", description = "[redis.conf] [--directive value ...]")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() {
            List<String> all = new ArrayList<>();
            all.add("server");
            all.addAll(args);
            return ServerMain.run(all.toArray(new String[0]));
        }
    }

    /** Validates (and with --fix repairs) an append-only file. */
    @Command(name = "check-aof", description = "Validate an append-only file; --fix truncates it to the last valid command.")
    static final class CheckAofCmd implements java.util.concurrent.Callable<Integer> {
        @Parameters(arity = "0..*", description = "[--fix] [--yes] FILE")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() {
            List<String> all = new ArrayList<>();
            all.add("check-aof");
            all.addAll(args);
            return ServerMain.run(all.toArray(new String[0]));
        }
    }
}
