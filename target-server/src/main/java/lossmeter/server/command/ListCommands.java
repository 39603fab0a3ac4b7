package lossmeter.server.command;

/** Placeholder while the group is written. */
final class ListCommands {
    private ListCommands() {
    }

    static void register(CommandTable t) {
    }
}
