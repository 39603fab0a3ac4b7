package lossmeter.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import lossmeter.faults.node.Node;
import lossmeter.faults.target.AofLayout;
import lossmeter.faults.target.Policy;
import lossmeter.workloads.check.DurabilityBound;
import lossmeter.workloads.check.FaultClass;

/**
 * A fault that damages bytes already on disk: SIGKILL the target, then, while it is dead, damage
 * one of its data files chosen by the trial's seed (any part of Redis 7's {@code appendonlydir/},
 * the single {@code appendonly.aof}, or {@code dump.rdb} when there is no AOF). Loss is expected;
 * what a correct server must not do is serve damaged data silently — refusing to start, with a
 * message, is a correct answer.
 */
abstract class MediaFault implements Fault {
    /** Damage to durable bytes may cost any prefix: the loss is the damage's, not the policy's. */
    @Override
    public boolean policyGoverned() {
        return false;
    }

    @Override
    public final FaultClass faultClass() {
        return FaultClass.MEDIA;
    }

    @Override
    public final void inject(FaultContext trial) {
        trial.markCrash();
        trial.target().kill();
        trial.recordCrashPoint(CrashPoint.time());
        trial.note("SIGKILL to the process group of " + trial.target() + " (the damage follows once it is dead)");
    }

    @Override
    public final void afterDeath(FaultContext trial) {
        List<Path> victims = dataFiles(trial.node(), trial.dataDir());
        if (victims.isEmpty()) {
            trial.note(name() + ": no non-empty data file to damage in " + trial.dataDir() + " — NO EFFECT");
            trial.recordEffect(FaultEffect.none("no non-empty data file to damage", java.util.Map.of()));
            return;
        }
        Path victim = victims.get(trial.random().nextInt(victims.size()));
        String what = damage(trial, victim);
        trial.note(name() + ": " + what);
        trial.recordEffect(FaultEffect.effective(what, java.util.Map.of("file", trial.dataDir().relativize(victim).toString())));
    }

    /** Damages the file and says what was done (file, offset, bytes) for the event log. */
    abstract String damage(FaultContext trial, Path file);

    /** Loss is expected after damage to durable bytes; the checker looks for silent corruption, not for loss. */
    @Override
    public final DurabilityBound bound(Policy policy, Duration window) {
        return DurabilityBound.UNBOUNDED;
    }

    /** The files a restart will load, non-empty ones only, in a stable order. */
    static List<Path> dataFiles(Node node, Path dataDir) {
        List<Path> out = new ArrayList<>();
        AofLayout layout = AofLayout.detect(node, dataDir);
        for (AofLayout.Part p : layout.parts()) {
            if (node.files().exists(p.file()) && node.files().size(p.file()) > 0) out.add(p.file());
        }
        Path rdb = dataDir.resolve("dump.rdb");
        if (layout.kind() == AofLayout.Kind.NONE && node.files().exists(rdb) && node.files().size(rdb) > 0) out.add(rdb);
        return out;
    }
}
