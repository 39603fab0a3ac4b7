package lossmeter.faults;

import java.nio.file.Path;

/** Cuts a data file at a seeded offset, as a lost tail of a disk or a careless copy would. */
final class TruncateFault extends MediaFault {
    @Override
    public String name() {
        return "truncate";
    }

    @Override
    String damage(FaultContext trial, Path file) {
        long size = trial.node().files().size(file);
        long cut = trial.random().nextLong(size);
        trial.node().files().truncate(file, cut);
        return "cut " + file.getFileName() + " from " + size + " to " + cut + " bytes";
    }
}
