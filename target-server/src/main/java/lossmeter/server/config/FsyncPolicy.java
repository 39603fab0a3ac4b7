package lossmeter.server.config;

import java.util.Locale;

/** The {@code appendfsync} policy: when the AOF is fsynced after a write. */
public enum FsyncPolicy {
    ALWAYS, EVERYSEC, NO;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FsyncPolicy parse(String s) throws ConfigException {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "always" -> ALWAYS;
            case "everysec" -> EVERYSEC;
            case "no" -> NO;
            default -> throw new ConfigException("argument(s) must be one of the following: always, everysec, no");
        };
    }
}
