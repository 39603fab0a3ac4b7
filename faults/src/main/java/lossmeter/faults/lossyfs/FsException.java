package lossmeter.faults.lossyfs;

/** A file operation's failure as the errno the FUSE adapter returns (Linux numbers). */
final class FsException extends Exception {
    static final int ENOENT = 2;
    static final int EIO = 5;
    static final int EBADF = 9;
    static final int EEXIST = 17;
    static final int ENOTDIR = 20;
    static final int EISDIR = 21;
    static final int EINVAL = 22;
    static final int ENOSPC = 28;
    static final int ENOTEMPTY = 39;

    final int errno;

    FsException(int errno, String message) {
        // No stack trace: these are expected outcomes (ENOENT on every lookup miss), not bugs.
        super(message, null, false, false);
        this.errno = errno;
    }
}
