package lossmeter.faults.lossyfs;

/** Whether fsync fails with EIO: never, for the next call only, or for every call until turned off. */
public enum FsyncEio {
    OFF, ONCE, ON
}
