package lossmeter.faults;

import lossmeter.workloads.check.FaultClass;

/**
 * SIGKILL the target — while lossyfs holds it at an aimed write, sync or name change, by default —
 * then lossyfs drops every byte and name change never synced: a machine losing power.
 */
final class PowerLossFault extends LossyFsFault {
    @Override
    public String name() {
        return "power-loss";
    }

    @Override
    public FaultClass faultClass() {
        return FaultClass.CRASH;
    }
}
