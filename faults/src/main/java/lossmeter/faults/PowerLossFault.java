package lossmeter.faults;

import lossmeter.workloads.check.FaultClass;

/** SIGKILL the target, then lossyfs drops every byte and name change never synced: a machine losing power. */
final class PowerLossFault extends LossyFsFault {
    @Override
    public String name() {
        return "power-loss";
    }

    @Override
    public FaultClass faultClass() {
        return FaultClass.CRASH;
    }

    @Override
    public void inject(FaultContext trial) {
        killTarget(trial, " (power loss follows once it is dead)");
    }
}
