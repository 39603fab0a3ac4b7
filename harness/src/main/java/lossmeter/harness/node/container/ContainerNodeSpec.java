package lossmeter.harness.node.container;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import lossmeter.faults.node.ContainerControl;
import lossmeter.faults.node.Node;
import lossmeter.harness.node.NodeSpec;

/**
 * One of the N slots of {@code --nodes container:N}: each trial on it runs in a fresh container,
 * opened for the trial and removed after it. The slots of one {@link Containers} share its image
 * and, for a user's image, its tools volume.
 */
public record ContainerNodeSpec(String name, Containers containers) implements NodeSpec {
    /** What every container node offers: what a machine does, and the container's own controls. */
    public static final Set<Class<?>> ABILITIES = Set.of(lossmeter.faults.node.Mounting.class, lossmeter.faults.node.JavaRuntime.class,
            lossmeter.faults.node.UnixSockets.class, ContainerControl.class);

    @Override
    public String kind() {
        return "container";
    }

    @Override
    public Set<Class<?>> abilities() {
        return ABILITIES;
    }

    @Override
    public boolean perTrial() {
        return true;
    }

    @Override
    public void prepare(PrintWriter log) {
        containers.prepare(log);
    }

    @Override
    public void release() {
        containers.release();
    }

    @Override
    public List<String> flags() {
        List<String> f = new ArrayList<>(List.of("--nodes", "container"));
        if (containers.image() != null) f.addAll(List.of("--image", containers.image()));
        return f;
    }

    @Override
    public Node open() {
        return containers.open(name);
    }
}
