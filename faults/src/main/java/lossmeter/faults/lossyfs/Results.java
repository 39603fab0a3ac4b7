package lossmeter.faults.lossyfs;

import java.util.Map;

/** What the fault commands did, for their {@code ok} replies. */
final class Results {
    private Results() {
    }

    /** Files that had unsynced data, the bytes written to them, and the metadata changes. */
    record Drop(int files, long bytes, int metaOps) {
        String reply(String what) {
            return what + " files=" + files + " bytes=" + bytes + " meta=" + metaOps;
        }
    }

    /** How much of the unsynced data a torn power loss kept ({@code kept} of {@code total} units). */
    record Torn(String mode, long seed, long kept, long total, Drop dropped) {
        Torn with(Drop drop) {
            return new Torn(mode, seed, kept, total, drop);
        }

        String reply() {
            String unit = mode.startsWith("sectors") ? "sectors" : "bytes";
            return "torn mode=" + mode + " seed=" + seed + " kept=" + kept + " of=" + total + " unit=" + unit
                    + " files=" + dropped.files() + " meta=" + dropped.metaOps();
        }
    }

    /** Unsynced bytes per file (live path) and pending metadata changes. */
    record Report(long total, int pendingMeta, Map<String, Long> files) {
    }

    /** ENOSPC and fsync EIO errors returned to the target since lossyfs started. */
    record Errors(long enospc, long eio) {
    }
}
