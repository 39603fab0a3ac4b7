package lossmeter.server.config;

/** A directive that cannot be accepted; the message says which and why. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
