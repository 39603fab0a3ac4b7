package lossmeter.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import lossmeter.faults.target.Endpoint;

class InvocationGateTest {
    private final AtomicLong clock = new AtomicLong();
    private final InvocationGate gate = new InvocationGate(clock::incrementAndGet);

    @Test
    void noInvocationAfterTheCrashMoment() throws InterruptedException {
        gate.open(new Endpoint("127.0.0.1", 1));
        InvocationGate.Admission a = gate.awaitOpen();
        assertThat(gate.invoke(a, () -> "invoked")).isEqualTo("invoked");
        long crash = gate.close();
        assertThat(gate.invoke(a, () -> "invoked")).isNull();
        assertThat(gate.close()).as("a second close keeps the first crash time").isEqualTo(crash);
        gate.open(new Endpoint("127.0.0.1", 2));
        assertThat(gate.invoke(a, () -> "invoked")).as("an admission to the previous incarnation is stale").isNull();
        InvocationGate.Admission b = gate.awaitOpen();
        assertThat(b.endpoint().port()).isEqualTo(2);
        assertThat(gate.invoke(b, () -> "invoked")).isEqualTo("invoked");
        assertThat(gate.close()).isGreaterThan(crash);
    }

    @Test
    void aPlannedCycleAdmitsItsOpCountThenHoldsWorkersUntilTheNextOpen() throws InterruptedException {
        gate.open(new Endpoint("127.0.0.1", 1), 2);
        InvocationGate.Admission a = gate.awaitOpen();
        assertThat(gate.invoke(a, () -> "1")).isEqualTo("1");
        assertThat(gate.invoke(a, () -> "2")).isEqualTo("2");
        assertThat(gate.invoke(a, () -> "3")).as("past the budget nothing is invoked").isNull();
        assertThat(gate.admitted()).isEqualTo(2);
        AtomicReference<Object> got = new AtomicReference<>("waiting");
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                got.set(gate.awaitOpen());
            } catch (InterruptedException e) {
                got.set(e);
            }
        });
        assertThat(t.join(Duration.ofMillis(200))).as("a worker waits while the budget is used up").isFalse();
        gate.close();
        gate.open(new Endpoint("127.0.0.1", 2), 0);
        assertThat(t.join(Duration.ofMillis(200))).as("a budget of 0 (the final restart) still holds it").isFalse();
        gate.close();
        gate.open(new Endpoint("127.0.0.1", 3));
        assertThat(t.join(Duration.ofSeconds(5))).isTrue();
        assertThat(((InvocationGate.Admission) got.get()).endpoint().port()).isEqualTo(3);
        assertThat(gate.admitted()).isZero();
    }

    @Test
    void stopWakesWaiters() throws InterruptedException {
        AtomicReference<Object> got = new AtomicReference<>("unset");
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                got.set(gate.awaitOpen());
            } catch (InterruptedException e) {
                got.set(e);
            }
        });
        Thread.sleep(50);
        gate.stop();
        assertThat(t.join(Duration.ofSeconds(5))).isTrue();
        assertThat(got.get()).isNull();
    }
}
