package lossmeter.server.command;

import java.util.EnumSet;
import java.util.Set;

/**
 * A command's name, arity (negative: at least that many arguments), flags and key positions,
 * and the code that runs it. Key positions follow Redis's COMMAND reply: first, last (-1 = last
 * argument) and step.
 */
public record CommandSpec(String name, int arity, Set<Flag> flags, int firstKey, int lastKey, int step, Handler handler) {

    /** What a command may do and when it may run. */
    public enum Flag {
        /** Changes the dataset; refused while the AOF is in error, propagated when it changed something. */
        WRITE,
        READONLY,
        /** Grows memory. */
        DENYOOM,
        ADMIN,
        /** Runs while the dataset is loading. */
        LOADING,
        /** Runs before AUTH. */
        NO_AUTH,
        /** Cannot be queued in MULTI (runs at once even inside a transaction). */
        NO_MULTI,
        FAST,
        /** Stale-safe; accepted for COMMAND's flag list. */
        STALE
    }

    /** The code of a command. */
    @FunctionalInterface
    public interface Handler {
        void run(Call call);
    }

    public CommandSpec {
        flags = flags.isEmpty() ? EnumSet.noneOf(Flag.class) : EnumSet.copyOf(flags);
    }

    public boolean is(Flag f) {
        return flags.contains(f);
    }

    public boolean arityOk(int argc) {
        return arity >= 0 ? argc == arity : argc >= -arity;
    }
}
