package lossmeter.server.persistence;

import java.io.IOException;

/**
 * A save that runs on its own thread against a snapshot, in place of the child process Redis
 * forks: started and finished on the event loop, it only reports whether its work is over and
 * how it ended. It may be cancelled (shutdown, CONFIG SET appendonly no); the work polls for it.
 */
abstract class BackgroundJob {
    private final Thread thread;
    private final Runnable wakeup;
    final long startedMillis = System.currentTimeMillis();
    private volatile boolean cancelled;
    private volatile boolean done;
    private volatile IOException failure;

    BackgroundJob(String name, Runnable wakeup) {
        this.wakeup = wakeup;
        this.thread = new Thread(this::runWork, name);
        this.thread.setDaemon(true);
    }

    /** The work, on the job's thread: reads only the snapshot it was given. */
    abstract void work() throws IOException;

    /** Removes what an unfinished or failed job left on disk; called once its thread has ended. */
    abstract void cleanUp();

    void start() {
        thread.start();
    }

    private void runWork() {
        try {
            work();
        } catch (IOException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = new IOException(e.toString(), e);
        } finally {
            done = true;
            wakeup.run();
        }
    }

    /** True once the work ended; from then on its results are visible to the caller. */
    boolean done() {
        return done;
    }

    IOException failure() {
        return failure;
    }

    void cancel() {
        cancelled = true;
    }

    boolean cancelled() {
        return cancelled;
    }

    /** Cancels the job, waits for its thread to stop writing, and removes its temp file. */
    void kill() {
        cancel();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cleanUp();
    }

    long seconds() {
        return (System.currentTimeMillis() - startedMillis) / 1000;
    }
}
