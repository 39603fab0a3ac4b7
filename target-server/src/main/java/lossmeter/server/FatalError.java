package lossmeter.server;

import lossmeter.server.log.Log;

/**
 * Logs an error that ends the server: what it was and where, in warning lines. Redis prints a
 * bug report with a stack trace on a crash; the frames here serve the same purpose, kept short so
 * the cause stays near the end of the log where tools look for it.
 */
final class FatalError {
    static final int MAX_FRAMES = 12;

    private FatalError() {
    }

    static void log(Log log, Throwable t) {
        if (t instanceof OutOfMemoryError) {
            log.warning("Out Of Memory on the event loop: " + t.getMessage() + " (max heap "
                    + Runtime.getRuntime().maxMemory() + " bytes; give the server more with -Xmx)");
        }
        log.warning("Fatal error in the event loop: " + t);
        StackTraceElement[] frames = t.getStackTrace();
        for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) log.warning("    at " + frames[i]);
        if (t.getCause() != null) log.warning("Caused by: " + t.getCause());
        log.warning("Exiting with status 1 after the fatal error above.");
    }
}
