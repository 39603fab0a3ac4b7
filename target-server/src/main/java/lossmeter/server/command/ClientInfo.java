package lossmeter.server.command;

/**
 * One client described as Redis's CLIENT LIST does ({@code id=… addr=… … cmd=…}): the same text
 * serves CLIENT LIST/INFO and the log lines that say why a client was closed, so tools reading
 * Redis logs find the fields where they expect them.
 */
public final class ClientInfo {
    private ClientInfo() {
    }

    /** The fields of one client, without the trailing newline CLIENT LIST puts after each. */
    public static String of(Client cl, int port) {
        long now = System.currentTimeMillis();
        // Replies dropped at the heap-derived cap still count: omem says how far they got.
        long omem = cl.out.overflowed() ? cl.out.lengthAtOverflow() : cl.out.length();
        return "id=" + cl.id() + " addr=" + cl.addr() + " laddr=127.0.0.1:" + port + " fd=0 name=" + cl.name
                + " age=" + (now - cl.createdMillis()) / 1000 + " idle=" + (now - cl.lastInteractionMillis) / 1000
                + " flags=" + (cl.inMulti ? "x" : "N") + " db=" + cl.db + " sub=0 psub=0 ssub=0 multi="
                + (cl.inMulti ? cl.queued.size() : -1) + " qbuf=" + cl.queryBufferBytes + " qbuf-free=0 argv-mem=0 multi-mem=0"
                + " obl=0 oll=0 omem=" + omem + " tot-mem=" + (cl.queryBufferBytes + Math.max(omem, cl.out.capacity()))
                + " events=r cmd=" + cl.lastCommand + " user=default redir=-1 resp=2";
    }
}
