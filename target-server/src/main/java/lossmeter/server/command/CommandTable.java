package lossmeter.server.command;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import lossmeter.server.command.CommandSpec.Flag;

/** All commands by lower-case name. Lookup is by the raw bytes of argv[0], without allocating for the common case. */
public final class CommandTable {
    private final Map<String, CommandSpec> byName = new TreeMap<>();
    private final Map<String, CommandSpec> fast = new HashMap<>();

    public static CommandTable standard() {
        CommandTable t = new CommandTable();
        ConnectionCommands.register(t);
        KeyCommands.register(t);
        StringCommands.register(t);
        ListCommands.register(t);
        TransactionCommands.register(t);
        ServerCommands.register(t);
        return t;
    }

    public void add(String name, int arity, int firstKey, int lastKey, int step, CommandSpec.Handler handler, Flag... flags) {
        EnumSet<Flag> f = flags.length == 0 ? EnumSet.noneOf(Flag.class) : EnumSet.of(flags[0], flags);
        CommandSpec spec = new CommandSpec(name, arity, f, firstKey, lastKey, step, handler);
        if (byName.put(name, spec) != null) throw new IllegalStateException("duplicate command " + name);
        fast.put(name, spec);
    }

    public CommandSpec lookup(byte[] name) {
        if (name.length > 32) return null;
        char[] c = new char[name.length];
        for (int i = 0; i < name.length; i++) {
            int b = name[i] & 0xff;
            if (b >= 'A' && b <= 'Z') b += 32;
            c[i] = (char) b;
        }
        return fast.get(new String(c));
    }

    public CommandSpec lookup(String name) {
        return lookup(name.getBytes(StandardCharsets.UTF_8));
    }

    public Collection<CommandSpec> all() {
        return Collections.unmodifiableCollection(byName.values());
    }
}
