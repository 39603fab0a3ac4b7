package lossmeter.server.command;

import java.util.List;

/** What commands need from the process around the engine: shutdown, the client list, the bound port. */
public interface ServerHooks {
    /** Shuts the server down gracefully (SHUTDOWN): flush and fsync, then exit. Returns an error text or null. */
    String shutdown(boolean save, boolean nosave);

    /** The clients connected now. */
    List<Client> clients();

    int port();

    /** Closes another client's connection (CLIENT KILL). */
    default boolean kill(long clientId) {
        return false;
    }

    ServerHooks NONE = new ServerHooks() {
        @Override
        public String shutdown(boolean save, boolean nosave) {
            return "shutdown is not available here";
        }

        @Override
        public List<Client> clients() {
            return List.of();
        }

        @Override
        public int port() {
            return 0;
        }
    };
}
