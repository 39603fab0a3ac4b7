package lossmeter.harness.node.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;

/**
 * Checks host keys against a known-hosts file and remembers what each host presented, so a refusal
 * can name the key. With {@code acceptNew}, a host the file does not know is added to it (the line
 * OpenSSH would write); a host whose key differs from the file's is refused either way.
 */
final class HostKeys implements HostKeyRepository {
    private final HostKeyRepository file;
    private final Path path;
    private final boolean acceptNew;
    private final JSch jsch;
    private final Map<String, byte[]> accepted = new HashMap<>();
    private final Map<String, HostKey> presented = new HashMap<>();

    HostKeys(JSch jsch, Path path, boolean acceptNew) throws JSchException {
        this.jsch = jsch;
        this.path = path;
        this.acceptNew = acceptNew;
        if (Files.isRegularFile(path)) jsch.setKnownHosts(path.toString());
        this.file = jsch.getHostKeyRepository();
    }

    @Override
    public synchronized int check(String host, byte[] key) {
        try {
            presented.put(host, new HostKey(host, key));
        } catch (JSchException e) {
            return NOT_INCLUDED;
        }
        int r = file.check(host, key);
        if (r != NOT_INCLUDED) return r;
        byte[] mine = accepted.get(host);
        if (mine != null) return java.util.Arrays.equals(mine, key) ? OK : CHANGED;
        if (!acceptNew) return NOT_INCLUDED;
        HostKey hk = presented.get(host);
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.writeString(path, host + " " + hk.getType() + " " + hk.getKey() + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            return NOT_INCLUDED;
        }
        accepted.put(host, key.clone());
        return OK;
    }

    /** The key {@code host} presented last, as {@code type fingerprint}, or null. */
    synchronized String presented(String host) {
        HostKey k = presented.get(host);
        return k == null ? null : k.getType() + " " + k.getFingerPrint(jsch);
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        // Keys are added only by check(), when new ones are accepted.
    }

    @Override
    public void remove(String host, String type) {
    }

    @Override
    public void remove(String host, String type, byte[] key) {
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return path.toString();
    }

    @Override
    public HostKey[] getHostKey() {
        return file.getHostKey();
    }

    @Override
    public HostKey[] getHostKey(String host, String type) {
        return file.getHostKey(host, type);
    }
}
