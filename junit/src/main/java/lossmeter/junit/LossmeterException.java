package lossmeter.junit;

/** A campaign that could not run at all (a bad target, a results dir in use): nothing was checked. */
public class LossmeterException extends RuntimeException {
    public LossmeterException(String message) {
        super(message);
    }
}
