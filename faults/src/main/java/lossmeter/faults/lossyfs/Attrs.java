package lossmeter.faults.lossyfs;

import java.time.Instant;

/** What getattr reports for one file or directory of the live view. */
record Attrs(boolean directory, int mode, long size, Instant atime, Instant mtime, Instant ctime) {
}
