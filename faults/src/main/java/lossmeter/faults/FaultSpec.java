package lossmeter.faults;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A fault as a campaign names it: its name and a factory that builds a fresh {@link Fault} for
 * each trial. Faults keep per-trial state (a mount, a drawn crash point), so a campaign holds
 * specs, never instances, and two trials never share one.
 */
public record FaultSpec(String name, Supplier<? extends Fault> factory) {
    public FaultSpec {
        Objects.requireNonNull(factory, "factory");
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a fault needs a name");
    }

    /** A spec named by what its factory builds. */
    public static FaultSpec of(Supplier<? extends Fault> factory) {
        return new FaultSpec(factory.get().name(), factory);
    }

    /** A new instance for one trial. */
    public Fault create() {
        Fault f = factory.get();
        if (!f.name().equals(name)) {
            throw new IllegalStateException("fault spec '" + name + "' built a fault named '" + f.name() + "'");
        }
        return f;
    }

    /** The fault's own answer to {@link Fault#policyGoverned()}, asked of a fresh instance. */
    public boolean policyGoverned() {
        return factory.get().policyGoverned();
    }

    /** Whether the fault mounts lossyfs over the data dir, so it needs FUSE (/dev/fuse, fusermount3, libfuse3). */
    public boolean needsFuse() {
        return factory.get() instanceof LossyFsFault;
    }

    /** The fault's own answer to {@link Fault#needs()}: the node abilities it needs. */
    public java.util.Set<Class<?>> needs() {
        return factory.get().needs();
    }

    @Override
    public String toString() {
        return name;
    }
}
