package lossmeter.faults.lossyfs;

import java.io.IOException;

/** lossyfs refused a control command ({@code err …} reply) or could not be reached. */
public final class LossyFsException extends IOException {
    public LossyFsException(String message) {
        super(message);
    }

    public LossyFsException(String message, Throwable cause) {
        super(message, cause);
    }
}
