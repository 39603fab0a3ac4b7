package lossmeter.faults.node;

import java.nio.file.Path;
import java.util.List;

/**
 * A long-running process a node started in its own session: its pid, and the process group id
 * that signals address (equal to the pid for a session leader), the command and where its output
 * goes.
 */
public record NodeProcess(long pid, long pgid, List<String> command, Path log) {
    public NodeProcess {
        command = List.copyOf(command);
    }

    @Override
    public String toString() {
        return "pid " + pid + " (group " + pgid + ", " + String.join(" ", command.subList(0, Math.min(3, command.size())))
                + (command.size() > 3 ? " …" : "") + ")";
    }
}
