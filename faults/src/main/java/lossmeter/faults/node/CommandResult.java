package lossmeter.faults.node;

/** How a short command run on a node ended: its exit code and its combined stdout and stderr. */
public record CommandResult(int exitCode, String output) {
    public boolean ok() {
        return exitCode == 0;
    }
}
