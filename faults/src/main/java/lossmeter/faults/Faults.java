package lossmeter.faults;

import java.util.List;

/** The built-in faults, by name. */
public final class Faults {
    public static final List<String> NAMES = List.of("kill", "restart");

    private Faults() {
    }

    /** SIGKILL the target's process group. */
    public static Fault kill() {
        return new KillFault();
    }

    /** Graceful SHUTDOWN, then restart. */
    public static Fault restart() {
        return new RestartFault();
    }

    public static Fault byName(String name) {
        return switch (name) {
            case "kill" -> kill();
            case "restart" -> restart();
            default -> throw new IllegalArgumentException("unknown fault '" + name + "' (one of " + String.join(", ", NAMES) + ")");
        };
    }
}
