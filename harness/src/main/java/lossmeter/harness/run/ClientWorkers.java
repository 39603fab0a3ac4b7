package lossmeter.harness.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import lossmeter.harness.client.JedisKvClient;
import lossmeter.workloads.client.ClientException;
import lossmeter.workloads.client.OpExecutor;
import lossmeter.workloads.generator.Invocation;
import lossmeter.workloads.generator.Workload;
import lossmeter.workloads.history.HistoryRecorder;
import lossmeter.workloads.history.Op;
import lossmeter.workloads.history.OpType;

/**
 * The trial's client processes: one virtual thread each, one op in flight each, each over its own
 * connection. An op whose outcome is unknown ends {@code info}, and its process is retired: the
 * thread carries on as a new process (id + number of workers) on a new connection. Ops the
 * workload marks exclusive (FLUSHALL) run with no other op in flight.
 */
final class ClientWorkers {
    /** Pause after a refused connection, so a worker does not spin while a target restarts. */
    private static final Duration RECONNECT_BACKOFF = Duration.ofMillis(20);

    private final Workload.Generator generator;
    private final HistoryRecorder recorder;
    private final InvocationGate gate;
    private final int clients;
    private final Duration opTimeout;
    // Fair, so a waiting FLUSHALL is not starved by a stream of ordinary ops.
    private final ReentrantReadWriteLock exclusive = new ReentrantReadWriteLock(true);
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    ClientWorkers(Workload.Generator generator, HistoryRecorder recorder, InvocationGate gate, int clients, Duration opTimeout) {
        this.generator = generator;
        this.recorder = recorder;
        this.gate = gate;
        this.clients = clients;
        this.opTimeout = opTimeout;
    }

    void start() {
        for (int w = 0; w < clients; w++) {
            int first = w;
            threads.add(Thread.ofVirtual().name("client-" + w).start(() -> {
                try {
                    work(first);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
    }

    /** The first unexpected error of any worker (a harness bug or a failing history sink), or null. */
    Throwable failure() {
        return failure.get();
    }

    /**
     * Waits until no op is in flight (close the gate first, so none starts): every op holds the
     * shared side of the lock while it runs, so taking the exclusive side means all have ended.
     * False when one is still running after the timeout.
     */
    boolean awaitQuiet(Duration timeout) throws InterruptedException {
        if (!exclusive.writeLock().tryLock(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS)) return false;
        exclusive.writeLock().unlock();
        return true;
    }

    /** Waits for the workers to end (stop the gate first); false if one did not end in time. */
    boolean join(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !t.join(Duration.ofNanos(left))) return false;
        }
        return true;
    }

    private void work(int firstProcess) throws InterruptedException {
        int process = firstProcess;
        JedisKvClient client = null;
        long clientGeneration = -1;
        Invocation next = null;
        try {
            while (true) {
                InvocationGate.Admission a = gate.awaitOpen();
                if (a == null) return;
                if (client == null || clientGeneration != a.generation() || client.broken()) {
                    if (client != null) client.close();
                    client = null;
                    try {
                        client = JedisKvClient.connect(a.endpoint(), opTimeout);
                        clientGeneration = a.generation();
                    } catch (ClientException refused) {
                        // Nothing was sent, so nothing is recorded: try again once the target answers.
                        Thread.sleep(RECONNECT_BACKOFF);
                        continue;
                    }
                }
                if (next == null) next = generator.next(process);
                Invocation inv = next;
                int p = process;
                Lock lock = Workload.exclusive(inv.f()) ? exclusive.writeLock() : exclusive.readLock();
                lock.lockInterruptibly();
                try {
                    Op invoke = gate.invoke(a, () -> recorder.invoke(p, inv.f(), inv.key(), inv.value()));
                    if (invoke == null) continue; // the gate closed first: the op was never invoked, keep it for later
                    next = null;
                    if (!execute(client, inv, invoke)) {
                        client.close();
                        client = null;
                        process += clients;
                    }
                } finally {
                    lock.unlock();
                }
            }
        } finally {
            if (client != null) client.close();
        }
    }

    /** Runs one invoked op and records its completion; false when it ended info (the process retires). */
    private boolean execute(JedisKvClient client, Invocation inv, Op invoke) {
        Object result;
        try {
            result = OpExecutor.execute(client, inv);
        } catch (ClientException e) {
            recorder.complete(invoke, e.definite() ? OpType.FAIL : OpType.INFO, null, e.getMessage());
            return e.definite();
        } catch (RuntimeException e) {
            // Not a client failure we know: the op may or may not have happened.
            recorder.complete(invoke, OpType.INFO, null, e.toString());
            return false;
        }
        recorder.complete(invoke, OpType.OK, result, null);
        return true;
    }
}
