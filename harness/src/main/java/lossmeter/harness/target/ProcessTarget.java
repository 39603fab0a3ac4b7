package lossmeter.harness.target;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.awaitility.pollinterval.PollInterval;

import lossmeter.faults.node.Node;
import lossmeter.faults.node.NodeProcess;
import lossmeter.faults.node.Signal;
import lossmeter.faults.target.Endpoint;
import lossmeter.faults.target.Pausable;
import lossmeter.faults.target.RunningTarget;
import lossmeter.faults.target.TargetAdmin;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/** A running target that is a process group on a node: signals address the group, never a name. */
public final class ProcessTarget implements RunningTarget, Pausable {
    private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(5);
    /**
     * Every 5 ms for the first half second, then every 50 ms: a restart is on the path of every crash
     * cycle, and a target that starts in tens of ms should not wait a long poll for its PING
     * (bench/explore-speed.sh). A slow start, such as a long log replayed, is polled less often.
     */
    private static final PollInterval READY_POLL =
            (count, previous) -> count <= 100 ? Duration.ofMillis(5) : Duration.ofMillis(50);

    private final Node node;
    private final NodeProcess process;
    private final Endpoint endpoint;

    public ProcessTarget(Node node, NodeProcess process, Endpoint endpoint) {
        this.node = node;
        this.process = process;
        this.endpoint = endpoint;
    }

    public NodeProcess process() {
        return process;
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public Path log() {
        return process.log();
    }

    @Override
    public void awaitReady(Duration timeout) {
        try {
            await("PING answered by the target at " + endpoint).atMost(timeout)
                    .pollDelay(Duration.ZERO).pollInterval(READY_POLL)
                    .failFast("the target exited before answering PING", () -> !alive())
                    .until(this::answersPing);
        } catch (TerminalFailureException e) {
            throw new TargetNotReadyException("target " + process + " at " + endpoint + " exited before answering PING", logTail(30), e);
        } catch (ConditionTimeoutException e) {
            throw new TargetNotReadyException("target " + process + " at " + endpoint + " did not answer PING within "
                    + timeout.toMillis() + "ms", logTail(30), e);
        }
    }

    private boolean answersPing() {
        try (Jedis j = connect(Duration.ofSeconds(1))) {
            return "PONG".equals(j.ping());
        } catch (RuntimeException e) {
            // Refused while starting, or -LOADING while it replays its log: not ready yet.
            return false;
        }
    }

    @Override
    public boolean alive() {
        return node.alive(process);
    }

    @Override
    public void kill() {
        node.signal(process, Signal.KILL);
    }

    @Override
    public void shutdown() {
        try (Jedis j = connect(CONTROL_TIMEOUT)) {
            // Redis answers a successful SHUTDOWN by closing the connection; a server that says +OK
            // first is fine too: the caller waits for the exit either way.
            j.sendCommand(Protocol.Command.SHUTDOWN);
        } catch (JedisConnectionException expected) {
            // SHUTDOWN closes the connection instead of replying: the target is on its way out.
        } catch (JedisDataException e) {
            throw new IllegalStateException("the target refused SHUTDOWN: " + e.getMessage(), e);
        }
    }

    @Override
    public void pause() {
        node.signal(process, Signal.STOP);
    }

    @Override
    public void resume() {
        node.signal(process, Signal.CONT);
    }

    @Override
    public boolean awaitDeath(Duration timeout) {
        try {
            await("exit of " + process).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                    .until(() -> !alive());
            node.forget(process);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    @Override
    public String version() {
        try (Jedis j = connect(CONTROL_TIMEOUT)) {
            return describeVersion(TargetAdmin.parseInfo(j.info("server")));
        } catch (RuntimeException e) {
            return "unknown (INFO server failed: " + e.getMessage() + ")";
        }
    }

    /** {@code redis 7.0.15}, or {@code lossmeter-target-server 0.1.0 (redis 7.0.0)} when the server names itself. */
    static String describeVersion(Map<String, String> info) {
        String redis = info.getOrDefault("redis_version", "?");
        String name = info.get("server_name");
        String own = info.get("lossmeter_server_version");
        if (name != null && own != null) return name + " " + own + " (redis " + redis + ")";
        return "redis " + redis;
    }

    @Override
    public String logTail(int lines) {
        if (!node.files().exists(log())) return "";
        String text = new String(node.files().read(log()), StandardCharsets.UTF_8);
        List<String> all = new ArrayList<>(List.of(text.split("\n")));
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public void close() {
        if (alive()) kill();
        if (!awaitDeath(Duration.ofSeconds(30))) {
            throw new IllegalStateException("target " + process + " survived SIGKILL for 30s");
        }
    }

    private Jedis connect(Duration timeout) {
        return TargetAdmin.jedis(endpoint, timeout);
    }

    @Override
    public String toString() {
        return "target " + process + " at " + endpoint;
    }
}
