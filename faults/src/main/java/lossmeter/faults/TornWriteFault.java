package lossmeter.faults;

import java.util.List;

import lossmeter.faults.lossyfs.IoOp;
import lossmeter.faults.lossyfs.LossyFsControl;
import lossmeter.faults.lossyfs.LossyFsException;
import lossmeter.workloads.check.FaultClass;

/**
 * SIGKILL the target — held at an aimed write or sync by default — then a torn power loss: lossyfs
 * keeps part, never all, of the unsynced data, with the mode seeded per crash: a random subset of
 * sectors (a disk reordering writes) or a byte prefix in write order (a disk that stops
 * mid-stream). Held after a write, the prefix's cut falls inside that write or the few KiB before it.
 */
final class TornWriteFault extends LossyFsFault {
    /** How far before an aimed write the prefix cut may fall, besides inside it. */
    private static final int TAIL_BEFORE = 4096;

    @Override
    public String name() {
        return "torn-write";
    }

    @Override
    public FaultClass faultClass() {
        return FaultClass.CRASH;
    }

    @Override
    List<Aim.Choice> aims() {
        return List.of(Aim.frequent(IoOp.Phase.AFTER, IoOp.WRITE), Aim.frequent(IoOp.Phase.BEFORE, IoOp.FDATASYNC),
                Aim.frequent(IoOp.Phase.BEFORE, IoOp.FSYNC));
    }

    @Override
    FaultEffect lose(FaultContext trial) throws LossyFsException {
        long seed = trial.random().nextLong(Long.MAX_VALUE);
        boolean sectors = trial.random().nextBoolean();
        CrashPoint p = point();
        long tail = p.reached() && p.op() == IoOp.WRITE && p.bytes() > 0 ? p.bytes() + trial.random().nextInt(TAIL_BEFORE) : 0;
        LossyFsControl.Reply r = sectors ? control().tornSectors(seed) : control().tornPrefix(seed, tail);
        long kept = r.number("kept");
        long of = r.number("of");
        String unit = sectors ? "sectors" : "bytes";
        var d = new java.util.LinkedHashMap<String, Object>();
        d.put("tornMode", sectors ? "sectors" : "prefix");
        d.put("tornSeed", seed);
        d.put("kept", kept);
        d.put("of", of);
        d.put("unit", unit);
        if (tail > 0) d.put("tornTail", tail);
        d.put("filesAffected", r.number("files"));
        d.put("metadataDropped", r.number("meta"));
        String summary = "torn " + (sectors ? "sectors" : "prefix" + (tail > 0 ? " within the last " + tail + " bytes" : ""))
                + ", seed " + seed + ": kept " + kept + " of " + of + " unsynced " + unit + ", dropped " + r.number("meta")
                + " name change(s)";
        return of > 0 || r.number("meta") > 0 ? FaultEffect.effective(summary, d) : FaultEffect.none(summary + ": nothing was unsynced", d);
    }
}
