package lossmeter.harness.run;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import lossmeter.faults.target.Endpoint;

/**
 * Decides when client workers may invoke ops. Closing it is the crash moment: the close and the
 * crash time are taken under the same lock as every invoke record, so no op is invoked after the
 * crash time until the runner has read the state back and opened the gate on the restarted target.
 */
final class InvocationGate {
    /** Permission to work against one incarnation of the target. */
    record Admission(Endpoint endpoint, long generation) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final LongSupplier clock;
    private Endpoint endpoint;
    private long generation;
    private boolean open;
    private boolean stopped;
    private long crashTime = -1;
    /** Ops invoked since the gate last opened, and how many it lets through before it holds the rest (a planned cycle). */
    private long admitted;
    private long budget = Long.MAX_VALUE;

    InvocationGate(LongSupplier clock) {
        this.clock = clock;
    }

    /** Opens the gate on a (re)started target; connections to earlier incarnations are stale from now on. */
    void open(Endpoint target) {
        open(target, Long.MAX_VALUE);
    }

    /** Opens the gate for at most {@code budget} invocations; workers wait once they are used up (until the next open). */
    void open(Endpoint target, long budget) {
        lock.lock();
        try {
            this.budget = budget;
            admitted = 0;
            endpoint = target;
            generation++;
            open = true;
            crashTime = -1;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Lets the workers invoke without limit until the gate closes (a fault that needs traffic, after a planned cycle's ops). */
    void lift() {
        lock.lock();
        try {
            budget = Long.MAX_VALUE;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Ops invoked since the gate last opened. */
    long admitted() {
        lock.lock();
        try {
            return admitted;
        } finally {
            lock.unlock();
        }
    }

    /** Closes the gate and returns the crash time; a second call before the next open returns the first time. */
    long close() {
        lock.lock();
        try {
            if (!open && crashTime >= 0) return crashTime;
            open = false;
            crashTime = clock.getAsLong();
            return crashTime;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the workers: every waiter wakes up and gets null. */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            open = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the gate is open; null once stopped. */
    Admission awaitOpen() throws InterruptedException {
        lock.lock();
        try {
            while ((!open || admitted >= budget) && !stopped) changed.await();
            return stopped ? null : new Admission(endpoint, generation);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records an invocation if the gate is still open on the same incarnation, atomically with
     * respect to {@link #close()}; null when it closed (the op was not invoked).
     */
    <T> T invoke(Admission a, Supplier<T> record) {
        lock.lock();
        try {
            if (!open || stopped || generation != a.generation() || admitted >= budget) return null;
            T t = record.get();
            admitted++;
            return t;
        } finally {
            lock.unlock();
        }
    }
}
