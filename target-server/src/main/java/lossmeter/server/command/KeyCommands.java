package lossmeter.server.command;

/** Placeholder while the group is written. */
final class KeyCommands {
    private KeyCommands() {
    }

    static void register(CommandTable t) {
    }
}
