package lossmeter.server.command;

/** Placeholder while the group is written. */
final class StringCommands {
    private StringCommands() {
    }

    static void register(CommandTable t) {
    }
}
