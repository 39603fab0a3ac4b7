package lossmeter.harness.node.ssh;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Vector;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpATTRS;
import com.jcraft.jsch.SftpException;

import lossmeter.faults.node.CommandResult;
import lossmeter.faults.node.NodeException;
import lossmeter.faults.node.NodeFiles;
import lossmeter.faults.node.Shell;

/**
 * An SSH node's files: reads, writes, listings and copies back over one SFTP channel (opened
 * again with the session when the transport failed); recursive copy, delete, truncate and mkdir
 * as commands on the node.
 */
final class SshFiles implements NodeFiles {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final SshSession ssh;
    private ChannelSftp sftp;
    private Session sftpSession;

    SshFiles(SshSession ssh) {
        this.ssh = ssh;
    }

    private interface SftpCall<T> {
        T on(ChannelSftp sftp) throws SftpException, IOException;
    }

    /** Runs one SFTP call on the channel, opening it (on the current session) when needed. */
    private synchronized <T> T sftp(String what, SftpCall<T> call) {
        return ssh.call(what, session -> {
            if (sftp == null || sftpSession != session || !sftp.isConnected()) {
                if (sftp != null) sftp.disconnect();
                ChannelSftp ch = (ChannelSftp) session.openChannel("sftp");
                ch.connect((int) SshOptions.DEFAULT_CONNECT_TIMEOUT.toMillis());
                sftp = ch;
                sftpSession = session;
            }
            try {
                return call.on(sftp);
            } catch (SftpException e) {
                if (e.getCause() instanceof IOException io && !session.isConnected()) throw io;
                if (!session.isConnected()) throw new IOException(e.getMessage(), e);
                throw new NodeException(what + " on " + ssh.address() + ": " + e.getMessage(), e);
            }
        });
    }

    private void command(String what, String line) {
        CommandResult r = ssh.exec(what, line, TIMEOUT);
        if (!r.ok()) throw new NodeException(what + " on " + ssh.address() + " failed (" + r.exitCode() + "): " + r.output().strip());
    }

    private static String p(Path path) {
        return path.toString();
    }

    @Override
    public boolean exists(Path path) {
        return sftp("stat " + path, ch -> {
            try {
                ch.lstat(p(path));
                return true;
            } catch (SftpException e) {
                if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) return false;
                throw e;
            }
        });
    }

    @Override
    public byte[] read(Path file) {
        return sftp("read " + file, ch -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ch.get(p(file), out);
            return out.toByteArray();
        });
    }

    @Override
    public void write(Path file, byte[] content) {
        Path parent = file.getParent();
        if (parent != null) mkdirs(parent);
        sftp("write " + file, ch -> {
            ch.put(new ByteArrayInputStream(content), p(file), ChannelSftp.OVERWRITE);
            return null;
        });
    }

    @Override
    public void truncate(Path file, long size) {
        command("truncate " + file, "truncate -s " + size + " -- " + Shell.quote(p(file)));
    }

    @Override
    public long size(Path file) {
        return sftp("stat " + file, ch -> ch.stat(p(file)).getSize());
    }

    @Override
    public void copy(Path from, Path to) {
        command("copy " + from, "mkdir -p -- " + Shell.quote(p(to.getParent())) + " && cp -a -- " + Shell.quote(p(from)) + " "
                + Shell.quote(p(to)));
    }

    @Override
    public List<Path> list(Path dir) {
        return sftp("list " + dir, ch -> {
            List<Path> out = new ArrayList<>();
            for (Object o : (Vector<?>) ch.ls(p(dir))) {
                String name = ((ChannelSftp.LsEntry) o).getFilename();
                if (!name.equals(".") && !name.equals("..")) out.add(dir.resolve(name));
            }
            out.sort(null);
            return out;
        });
    }

    @Override
    public void mkdirs(Path dir) {
        command("mkdir " + dir, "mkdir -p -- " + Shell.quote(p(dir)));
    }

    @Override
    public void delete(Path path) {
        command("delete " + path, "rm -rf -- " + Shell.quote(p(path)));
    }

    @Override
    public void fetch(Path onNode, Path local) {
        sftp("fetch " + onNode, ch -> {
            get(ch, onNode, local);
            return null;
        });
    }

    private static void get(ChannelSftp ch, Path from, Path to) throws SftpException, IOException {
        SftpATTRS a = ch.lstat(p(from));
        if (a.isDir()) {
            Files.createDirectories(to);
            for (Object o : (Vector<?>) ch.ls(p(from))) {
                ChannelSftp.LsEntry e = (ChannelSftp.LsEntry) o;
                String name = e.getFilename();
                if (name.equals(".") || name.equals("..")) continue;
                try {
                    get(ch, from.resolve(name), to.resolve(name));
                } catch (SftpException gone) {
                    // A temp file the target deleted between listing and copying is not part of its state.
                    if (gone.id != ChannelSftp.SSH_FX_NO_SUCH_FILE) throw gone;
                }
            }
        } else if (a.isReg()) {
            Path parent = to.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            try (var out = Files.newOutputStream(to)) {
                ch.get(p(from), out);
            }
        }
    }

    synchronized void close() {
        if (sftp != null) sftp.disconnect();
        sftp = null;
    }
}
