package lossmeter.faults.target;

import java.nio.file.Path;
import java.time.Duration;

/**
 * One started instance of a target. {@link #close()} always leaves no process of it behind,
 * whatever state it is in.
 */
public interface RunningTarget extends AutoCloseable {
    Endpoint endpoint();

    /** The log its output is appended to (every start of a trial appends to the same log). */
    Path log();

    /** Waits until PING is answered; fails with the tail of the log if it exits first or the timeout passes. */
    void awaitReady(Duration timeout);

    /** True while any process of the target is alive. */
    boolean alive();

    /** SIGKILLs the whole process group, fork children included, as a machine crash would. Does not wait. */
    void kill();

    /** Asks the target to exit gracefully (SHUTDOWN). Does not wait. */
    void shutdown();

    /** Waits until no process of the target is left; false when the timeout passed first. */
    boolean awaitDeath(Duration timeout);

    /** The server's name and version from INFO server, e.g. {@code redis 7.0.15}. */
    String version();

    /** The last lines of the log, for error messages. */
    String logTail(int lines);

    /** Kills the target if it still runs and waits for it to be gone. */
    @Override
    void close();
}
