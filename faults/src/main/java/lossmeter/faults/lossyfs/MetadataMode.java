package lossmeter.faults.lossyfs;

/** When a directory-entry change (create, rename, unlink, truncate, chmod) becomes durable. */
public enum MetadataMode {
    /**
     * Only when the parent directory is fsynced (that change and every earlier one, in order), or
     * for a truncate or chmod also when the file itself is fsynced: what POSIX promises.
     */
    STRICT,
    /** At any fsync or fdatasync on the filesystem, all pending changes in order: ext4 data=ordered. */
    ORDERED;

    public static MetadataMode parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "strict" -> STRICT;
            case "ordered" -> ORDERED;
            default -> throw new IllegalArgumentException("metadata mode must be strict or ordered, not '" + s + "'");
        };
    }
}
