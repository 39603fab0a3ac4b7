package lossmeter.faults.lossyfs;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.cryptomator.jfuse.api.Fuse;
import org.cryptomator.jfuse.api.FuseBuilder;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lossmeter lossyfs}: mounts lossyfs over a directory until SIGTERM/SIGINT, serving the
 * control socket, and always unmounts on the way out. Prints one line
 * {@code lossyfs ready mount=… control=… pid=…} once the mount answers.
 */
@Command(name = "lossyfs", mixinStandardHelpOptions = true,
        description = "A FUSE filesystem that keeps written data unsynced until fsync, and loses it on command.")
public final class LossyFsMain implements java.util.concurrent.Callable<Integer> {
    static final String READY = "lossyfs ready";

    /** Where Debian, Ubuntu, Fedora and Arch put libfuse3; jfuse's default asks for libfuse3.so, which only -dev packages provide. */
    private static final List<String> LIBFUSE_PATHS = List.of("/lib/x86_64-linux-gnu/libfuse3.so.3",
            "/usr/lib/x86_64-linux-gnu/libfuse3.so.3", "/lib/aarch64-linux-gnu/libfuse3.so.3",
            "/usr/lib/aarch64-linux-gnu/libfuse3.so.3", "/usr/lib64/libfuse3.so.3", "/lib64/libfuse3.so.3",
            "/usr/lib/libfuse3.so.3",
            // lossmeter's container nodes carry their own copy with their tools.
            "/.lossmeter/lib/libfuse3.so.3");

    @Option(names = "--backing", required = true, description = "Directory holding the durable image.")
    Path backing;

    @Option(names = "--mount", required = true, description = "Empty directory to mount lossyfs on.")
    Path mount;

    @Option(names = "--control", required = true, description = "Path of the control Unix domain socket.")
    Path control;

    @Option(names = "--metadata", defaultValue = "strict", converter = MetadataConverter.class,
            description = "strict (entries durable at a parent-directory fsync) or ordered (at any fsync). Default: ${DEFAULT-VALUE}.")
    MetadataMode metadata;

    @Option(names = "--sector", defaultValue = "512", description = "Sector size for torn sectors. Default: ${DEFAULT-VALUE}.")
    int sector;

    @Option(names = "--writeback-age", defaultValue = "off", converter = DurationConverter.class,
            description = "Write back data dirty this long (e.g. 30s, as Linux); off by default.")
    Duration writebackAge;

    @Option(names = "--no-triggers", description = "Leave crash points out of every file operation (for measuring what they cost).")
    boolean noTriggers;

    @Option(names = "--libfuse", description = "Path of libfuse3.so.3 (default: the usual system locations).")
    Path libfuse;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LossyFsMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        backing = backing.toAbsolutePath().normalize();
        mount = mount.toAbsolutePath().normalize();
        control = control.toAbsolutePath().normalize();
        String problem = validate();
        if (problem != null) {
            System.err.println("lossyfs: " + problem);
            return 2;
        }
        cleanStaleMount();
        if (Mounts.at(mount).isPresent()) {
            System.err.println("lossyfs: " + mount + " is still a mount point and could not be unmounted");
            return 3;
        }

        LossyModel model = new LossyModel(backing, metadata, sector);
        FuseBuilder builder = Fuse.builder();
        builder.setLibraryPath(libfusePath());
        Triggers triggers = new Triggers(model);
        Fuse fuse = builder.build(new LossyFuse(model, noTriggers ? null : triggers, builder.errno(), backing));
        ControlServer server = new ControlServer(control, new ControlCommands(model, triggers));
        ScheduledExecutorService writeback = startWriteback(model);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop(fuse, server, writeback, model, triggers);
            stopped.countDown();
        }, "lossyfs-shutdown"));

        // No kernel caching of attributes or names: every stat and lookup reaches the model, which
        // alone knows what a power loss left. Data: FUSE writes through to us without a
        // writeback cache, and each open drops the file's cached pages (libfuse3 has no global
        // direct_io option and jfuse no per-open one), so after a power loss a reopened file
        // reads what lossyfs holds. A file kept open across a failed fsync may still read its
        // lost bytes from the page cache, exactly as on Linux.
        fuse.mount("lossyfs", mount, "-oattr_timeout=0", "-oentry_timeout=0", "-onegative_timeout=0",
                "-ofsname=lossyfs", "-osubtype=lossyfs");
        System.out.println(READY + " mount=" + mount + " control=" + control + " pid=" + ProcessHandle.current().pid()
                + " metadata=" + metadata.name().toLowerCase(java.util.Locale.ROOT));
        System.out.flush();
        stopped.await();
        return 0;
    }

    private String validate() {
        if (!Files.isDirectory(backing)) return "--backing " + backing + " is not a directory";
        if (!Files.isDirectory(mount) && !isMountPoint()) return "--mount " + mount + " is not a directory";
        if (backing.startsWith(mount) || mount.startsWith(backing)) return "--backing and --mount must not contain each other";
        if (sector <= 0 || Integer.bitCount(sector) != 1) return "--sector must be a power of two, not " + sector;
        if (control.getParent() != null && !Files.isDirectory(control.getParent())) return "the directory of --control does not exist";
        if (controlAnswers()) return "another lossyfs answers on " + control + "; stop it first";
        return null;
    }

    private boolean isMountPoint() {
        try {
            return Mounts.at(mount).isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    /** A live lossyfs on the same control socket means the mount is not stale: leave it alone. */
    private boolean controlAnswers() {
        if (!Files.exists(control)) return false;
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(control));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void cleanStaleMount() throws IOException {
        var stale = Mounts.at(mount);
        if (stale.isEmpty()) return;
        if (!stale.get().isFuse()) {
            throw new IOException(mount + " has a " + stale.get().fsType() + " mount, not a stale FUSE one; refusing to touch it");
        }
        System.err.println("lossyfs: cleaning a stale " + stale.get().fsType() + " mount at " + mount);
        Mounts.lazyUnmount(mount);
    }

    private String libfusePath() {
        if (libfuse != null) return libfuse.toString();
        for (String p : LIBFUSE_PATHS) {
            if (Files.isReadable(Path.of(p))) return p;
        }
        throw new IllegalStateException("libfuse3.so.3 not found in " + LIBFUSE_PATHS + "; install fuse3 libfuse3-3 or pass --libfuse");
    }

    private ScheduledExecutorService startWriteback(LossyModel model) {
        if (writebackAge.isZero()) return null;
        ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("lossyfs-writeback").unstarted(r));
        long periodMs = Math.max(10, Math.min(1000, writebackAge.toMillis() / 4));
        long ageNanos = writebackAge.toNanos();
        exec.scheduleAtFixedRate(() -> {
            try {
                model.writeback(ageNanos);
            } catch (IOException | RuntimeException e) {
                System.err.println("lossyfs: writeback failed: " + e);
            }
        }, periodMs, periodMs, TimeUnit.MILLISECONDS);
        return exec;
    }

    /**
     * A clean stop is a clean unmount, which writes everything back, so the backing directory
     * keeps what the target wrote; a SIGKILL of lossyfs is a power loss instead.
     */
    private void stop(Fuse fuse, ControlServer server, ScheduledExecutorService writeback, LossyModel model, Triggers triggers) {
        if (writeback != null) writeback.shutdownNow();
        // A held operation would keep its caller, and so the unmount, waiting.
        triggers.disarm();
        try {
            fuse.close();
        } catch (Exception e) {
            System.err.println("lossyfs: unmount failed: " + e);
        }
        try {
            if (Mounts.at(mount).isPresent() && !Mounts.lazyUnmount(mount)) {
                System.err.println("lossyfs: " + mount + " is still mounted");
            }
        } catch (IOException e) {
            System.err.println("lossyfs: cannot check the mount: " + e);
        }
        try {
            model.checkpoint();
        } catch (IOException | RuntimeException e) {
            System.err.println("lossyfs: final checkpoint failed: " + e);
        }
        try {
            server.close();
        } catch (IOException e) {
            System.err.println("lossyfs: closing the control socket failed: " + e);
        }
    }

    static final class MetadataConverter implements CommandLine.ITypeConverter<MetadataMode> {
        @Override
        public MetadataMode convert(String value) {
            return MetadataMode.parse(value);
        }
    }

    /** 30s, 500ms, 2m, 0 or off. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.strip().toLowerCase(java.util.Locale.ROOT);
            if (v.equals("off") || v.equals("0")) return Duration.ZERO;
            var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m)").matcher(v);
            if (!m.matches()) throw new CommandLine.TypeConversionException("expected e.g. 30s, 500ms, 2m or off, not '" + value + "'");
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMinutes(n);
            };
        }
    }
}
