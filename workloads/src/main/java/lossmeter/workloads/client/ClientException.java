package lossmeter.workloads.client;

/** A client call that did not succeed; {@link #definite()} says the op certainly did not happen. */
public final class ClientException extends RuntimeException {
    private final boolean definite;

    public ClientException(String message, boolean definite, Throwable cause) {
        super(message, cause, false, false);
        this.definite = definite;
    }

    public boolean definite() {
        return definite;
    }
}
