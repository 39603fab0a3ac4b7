package lossmeter.server.resp;

/** A request that breaks the RESP protocol; the message is the text after {@code -ERR }. */
public final class ProtocolException extends Exception {
    private final long offset;

    public ProtocolException(String message, long offset) {
        super(message, null, false, false);
        this.offset = offset;
    }

    /** Byte offset, within the parsed stream, of the element that broke the protocol. */
    public long offset() {
        return offset;
    }
}
