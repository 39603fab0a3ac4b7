package lossmeter.faults.node;

/**
 * An action registered with a node to run once however the run ends (normally, on failure, on
 * SIGINT): unmounting a filesystem a fault mounted, for example. Running it early deregisters it.
 */
public interface Cleanup extends AutoCloseable {
    /** Runs the action now unless it already ran; a second call does nothing. */
    @Override
    void close();
}
