package lossmeter.harness.node.container;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;

import lossmeter.faults.node.NodeException;

/**
 * The Docker daemon, as Testcontainers finds it (DOCKER_HOST, the local socket, rootless Docker,
 * Docker Desktop). lossmeter takes only the daemon's client from Testcontainers: it pulls nothing,
 * starts none of Testcontainers' helper containers (its reaper, its checks) and removes what it
 * starts itself, by label.
 *
 * <p>Every container lossmeter starts carries {@link #OWNER} (host, pid and start time of the
 * harness) and {@link #RUN} (the run's id); {@link #sweep} removes those whose harness on this host
 * is gone, so a killed run's containers and their volumes go at the next start.
 */
final class Docker {
    static final String OWNER = "dev.lossmeter.owner";
    static final String RUN = "dev.lossmeter.run";
    static final String ROLE = "dev.lossmeter.role";

    private static DockerClient client;

    private Docker() {
    }

    /** The daemon's client, made once per JVM; a NodeException that says what to do when there is no daemon. */
    static synchronized DockerClient client() {
        if (client != null) return client;
        try {
            client = DockerClientProviderStrategy.getClientForConfig(DockerClientFactory.instance().getTransportConfig());
            client.pingCmd().exec();
            return client;
        } catch (RuntimeException e) {
            client = null;
            throw new NodeException("no Docker daemon answers (" + rootMessage(e) + "); start dockerd, or point DOCKER_HOST at one"
                    + " — container nodes need Docker Engine 20.10 or newer", e);
        }
    }

    /** True when a daemon answers. */
    static boolean available() {
        try {
            client();
            return true;
        } catch (NodeException e) {
            return false;
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m.strip();
    }

    /** This harness as the owner label names it: {@code host/pid/start-ms}. */
    static String owner() {
        ProcessHandle self = ProcessHandle.current();
        long start = self.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        return host() + "/" + self.pid() + "/" + start;
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** True when the owner label names a harness on this host that is gone (a different host's are never judged). */
    static boolean ownerGone(String owner) {
        String[] p = owner == null ? new String[0] : owner.split("/");
        if (p.length != 3 || !p[0].equals(host())) return false;
        long pid;
        long start;
        try {
            pid = Long.parseLong(p[1]);
            start = Long.parseLong(p[2]);
        } catch (NumberFormatException e) {
            return false;
        }
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) return true;
        // A live pid that started at another time is a reused pid, not the owner.
        long started = h.get().info().startInstant().map(Instant::toEpochMilli).orElse(start);
        return Math.abs(started - start) > 2_000;
    }

    /** Containers (running or not) that carry a label, with the given value when not null. */
    static List<Container> containers(String label, String value) {
        return client().listContainersCmd().withShowAll(true)
                .withLabelFilter(value == null ? List.of(label) : List.of(label + "=" + value)).exec();
    }

    /** Removes a container and its anonymous volumes, killing what runs in it; a container already gone is not an error. */
    static void remove(String id) {
        try {
            client().removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException gone) {
            // Already removed.
        } catch (RuntimeException e) {
            if (rootMessage(e).contains("already in progress")) return;
            throw new NodeException("cannot remove container " + shortId(id) + ": " + rootMessage(e), e);
        }
    }

    /** Removes a volume; one already gone is not an error. */
    static void removeVolume(String name) {
        try {
            client().removeVolumeCmd(name).exec();
        } catch (NotFoundException gone) {
            // Already removed.
        } catch (RuntimeException e) {
            throw new NodeException("cannot remove volume " + name + ": " + rootMessage(e), e);
        }
    }

    /** Removes the containers and volumes of harnesses on this host that are gone; one line per thing removed. */
    static synchronized List<String> sweep() {
        List<String> lines = new ArrayList<>();
        for (Container c : containers(OWNER, null)) {
            Map<String, String> labels = c.getLabels();
            String owner = labels == null ? null : labels.get(OWNER);
            if (!ownerGone(owner)) continue;
            remove(c.getId());
            lines.add("removed container " + shortId(c.getId()) + " (" + labels.getOrDefault(ROLE, "node") + ", run "
                    + labels.getOrDefault(RUN, "?") + ") that a killed run (" + owner + ") left");
        }
        var volumes = client().listVolumesCmd().withFilter("label", List.of(OWNER)).exec().getVolumes();
        for (var v : volumes == null ? List.<com.github.dockerjava.api.command.InspectVolumeResponse>of() : volumes) {
            String owner = v.getLabels() == null ? null : v.getLabels().get(OWNER);
            if (!ownerGone(owner)) continue;
            removeVolume(v.getName());
            lines.add("removed volume " + v.getName() + " that a killed run (" + owner + ") left");
        }
        return lines;
    }

    static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}
