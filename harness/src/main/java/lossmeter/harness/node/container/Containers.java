package lossmeter.harness.node.container;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;

import lossmeter.faults.node.Cleanup;
import lossmeter.faults.node.NodeException;
import lossmeter.harness.node.NodeSpec;
import lossmeter.harness.node.ProcessRegistry;

/**
 * {@code --nodes container[:N]}: N slots, each running one trial at a time in a fresh container.
 * Holds what the slots share for one campaign: the image (lossmeter's node image, or the user's
 * {@code --image} with the node image's tools on a read-only volume at {@code /.lossmeter}), and
 * the run id every container and volume is labelled with.
 */
public final class Containers {
    public static final int MAX = 64;
    private final String image;
    private final int count;
    private final String run;
    private String toolsVolume;
    private Cleanup toolsCleanup;
    private boolean prepared;

    /** {@code image} null: lossmeter's own node image. */
    public Containers(int count, String image) {
        if (count < 1 || count > MAX) throw new IllegalArgumentException("--nodes container:N takes N from 1 to " + MAX + ", not " + count);
        if (image != null && image.isBlank()) throw new IllegalArgumentException("--image is empty");
        this.count = count;
        this.image = image;
        this.run = Long.toString(System.currentTimeMillis() / 1000, 36) + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
    }

    /**
     * Removes the containers and volumes of container runs whose harness on this host is gone;
     * nothing (and no error) when no Docker daemon answers. One line per thing removed.
     */
    public static List<String> sweepIfDocker() {
        if (!Docker.available()) return List.of();
        return Docker.sweep();
    }

    /** {@code container} or {@code container:N}; null when {@code item} names no containers. */
    public static Integer count(String item) {
        if (item.equals("container")) return 1;
        if (!item.startsWith("container:")) return null;
        try {
            return Integer.parseInt(item.substring("container:".length()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--nodes " + item + ": expected container or container:N with N a number");
        }
    }

    public String image() {
        return image;
    }

    public List<NodeSpec> specs() {
        List<NodeSpec> out = new ArrayList<>();
        for (int i = 1; i <= count; i++) out.add(new ContainerNodeSpec(count == 1 ? "container" : "container-" + i, this));
        return out;
    }

    /** Sweeps containers killed runs left, builds the node image if it is missing, and checks a user's image is there. */
    synchronized void prepare(PrintWriter log) {
        if (prepared) return;
        for (String line : Docker.sweep()) log.println("lossmeter: clean: " + line);
        NodeImage.ensure(log);
        if (image != null) {
            imageEnv(image);
            toolsVolume = tools();
        }
        prepared = true;
    }

    ContainerNode open(String name) {
        synchronized (this) {
            if (!prepared) prepare(new PrintWriter(System.err, true));
        }
        return ContainerNode.start(name, image, toolsVolume, run);
    }

    /** The environment a user's image sets; a clear error when the daemon does not have it (nothing is pulled). */
    static List<String> imageEnv(String image) {
        try {
            String[] env = Docker.client().inspectImageCmd(image).exec().getConfig().getEnv();
            return env == null ? List.of() : List.of(env);
        } catch (NotFoundException e) {
            throw new NodeException("the image " + image + " is not on the Docker daemon, and lossmeter never pulls: build or load it"
                    + " first (docker build -t " + image + " …, or docker load)");
        }
    }

    /** A volume with the node image's {@code /.lossmeter}, filled by a container that mounts it once and exits. */
    private String tools() {
        DockerClient docker = Docker.client();
        String name = "lossmeter-tools-" + run;
        Map<String, String> labels = Map.of(Docker.OWNER, Docker.owner(), Docker.RUN, run, Docker.ROLE, "tools");
        docker.createVolumeCmd().withName(name).withLabels(labels).exec();
        toolsCleanup = ProcessRegistry.global().atExit("remove volume " + name, () -> Docker.removeVolume(name));
        String id = docker.createContainerCmd(NodeImage.ensure(null)).withLabels(Map.of(Docker.OWNER, Docker.owner(), Docker.RUN, run,
                        Docker.ROLE, "tools-copy")).withEntrypoint(NodeImage.BIN + "/true").withCmd(List.of())
                .withHostConfig(HostConfig.newHostConfig().withBinds(Bind.parse(name + ":" + Exec.TOOLS))).exec().getId();
        try {
            docker.startContainerCmd(id).exec();
            Integer code = docker.waitContainerCmd(id).start().awaitStatusCode(2, java.util.concurrent.TimeUnit.MINUTES);
            if (code == null || code != 0) throw new NodeException("filling the tools volume " + name + " failed (exit " + code + ")");
        } finally {
            Docker.remove(id);
        }
        return name;
    }

    /** Removes the tools volume, if one was made. */
    synchronized void release() {
        if (toolsCleanup != null) toolsCleanup.close();
        toolsCleanup = null;
    }
}
