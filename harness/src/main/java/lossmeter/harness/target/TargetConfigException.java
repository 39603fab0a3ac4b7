package lossmeter.harness.target;

/** A target spec that cannot work (unknown kind, missing binary, bad template): a usage error, found before anything starts. */
public final class TargetConfigException extends RuntimeException {
    public TargetConfigException(String message) {
        super(message);
    }
}
