package lossmeter.faults.lossyfs;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The control protocol: one command line in, one reply line out, {@code ok …} or {@code err …}.
 * Bad input is answered with {@code err} and a hint, never with an exception. Each command runs
 * under the model's lock, so it is atomic with respect to file operations.
 */
final class ControlCommands {
    static final String HELP = "commands: status, report, stats, drop-unsynced, torn sectors|sectors-unordered|prefix [SEED [TAIL]], "
            + "enospc on|off, enospc-after BYTES, fsync-eio once|on|off, checkpoint, ops [reset], "
            + "arm before|after OP N GLOB [hold|delay MS|enospc|eio], await MS, release [discard], disarm";

    private final LossyModel model;
    private final Triggers triggers;

    ControlCommands(LossyModel model, Triggers triggers) {
        this.model = model;
        this.triggers = triggers;
    }

    /** A model without crash points (the tests of the fault commands alone). */
    ControlCommands(LossyModel model) {
        this(model, new Triggers(model));
    }

    String execute(String line) {
        String[] words = line.strip().split("\\s+");
        String cmd = words[0].toLowerCase(Locale.ROOT);
        try {
            return switch (cmd) {
                case "" -> "err empty command; " + HELP;
                case "status", "ping" -> {
                    arity(words, 0);
                    yield status();
                }
                case "report" -> {
                    arity(words, 0);
                    yield report();
                }
                case "drop-unsynced" -> {
                    arity(words, 0);
                    yield "ok " + model.dropUnsynced().reply("dropped");
                }
                case "checkpoint" -> {
                    arity(words, 0);
                    yield "ok " + model.checkpoint().reply("checkpoint");
                }
                case "torn" -> torn(words);
                case "stats" -> {
                    arity(words, 0);
                    Results.Errors e = model.errors();
                    yield "ok enospc-errors=" + e.enospc() + " eio-errors=" + e.eio() + " delayed-ops=" + triggers.delayedOps()
                            + " delay-ms=" + triggers.delayNanos() / 1_000_000 + " held=" + triggers.holding();
                }
                case "ops" -> ops(words);
                case "arm" -> arm(words);
                case "await" -> {
                    arity(words, 1);
                    Triggers.Hit hit = triggers.await(number(words[1], "MS"));
                    yield hit == null ? "ok pending seen=" + triggers.seen() : "ok fired " + hit.describe();
                }
                case "release" -> {
                    if (words.length > 2 || words.length == 2 && !words[1].equalsIgnoreCase("discard")) {
                        throw new BadCommand("usage: release [discard]");
                    }
                    yield "ok released held=" + triggers.release(words.length == 2);
                }
                case "disarm" -> {
                    arity(words, 0);
                    yield "ok disarmed held=" + triggers.disarm();
                }
                case "enospc" -> {
                    arity(words, 1);
                    yield switch (words[1].toLowerCase(Locale.ROOT)) {
                        case "on" -> {
                            model.setSpaceLeft(0);
                            yield "ok enospc on";
                        }
                        case "off" -> {
                            model.setSpaceLeft(LossyModel.UNLIMITED);
                            yield "ok enospc off";
                        }
                        default -> "err enospc takes on or off, not '" + words[1] + "'";
                    };
                }
                case "enospc-after" -> {
                    arity(words, 1);
                    long bytes = number(words[1], "BYTES");
                    model.setSpaceLeft(bytes);
                    yield "ok enospc-after " + bytes;
                }
                case "fsync-eio" -> {
                    arity(words, 1);
                    FsyncEio mode = switch (words[1].toLowerCase(Locale.ROOT)) {
                        case "once" -> FsyncEio.ONCE;
                        case "on" -> FsyncEio.ON;
                        case "off" -> FsyncEio.OFF;
                        default -> throw new BadCommand("fsync-eio takes once, on or off, not '" + words[1] + "'");
                    };
                    model.setFsyncEio(mode);
                    yield "ok fsync-eio " + mode.name().toLowerCase(Locale.ROOT);
                }
                default -> "err unknown command '" + words[0] + "'; " + HELP;
            };
        } catch (BadCommand e) {
            return "err " + e.getMessage();
        } catch (Exception e) {
            // A command that failed half-way (the backing directory refused a write) is reported,
            // not fatal: the caller decides whether the trial is still meaningful.
            return "err " + cmd + " failed: " + oneLine(e.toString());
        }
    }

    private String ops(String[] words) throws BadCommand {
        if (words.length == 2 && words[1].equalsIgnoreCase("reset")) {
            triggers.resetCounts();
            return "ok ops reset";
        }
        arity(words, 0);
        Map<String, Long> counts = triggers.counts();
        StringBuilder sb = new StringBuilder("ok ops=").append(counts.values().stream().mapToLong(Long::longValue).sum());
        counts.forEach((k, v) -> sb.append(' ').append(encode(k)).append('=').append(v));
        return sb.toString();
    }

    private String arm(String[] words) throws BadCommand {
        if (words.length < 5) throw new BadCommand("usage: arm before|after OP N GLOB [hold|delay MS|enospc|eio]");
        IoOp.Phase phase;
        IoOp op;
        try {
            phase = IoOp.Phase.parse(words[1]);
            op = IoOp.parse(words[2]);
        } catch (IllegalArgumentException e) {
            throw new BadCommand(e.getMessage());
        }
        long n = number(words[3], "N");
        if (n < 1) throw new BadCommand("N must be >= 1");
        String glob = words[4];
        Triggers.Action action = Triggers.Action.HOLD;
        long delay = 0;
        if (words.length > 5) {
            action = switch (words[5].toLowerCase(Locale.ROOT)) {
                case "hold" -> Triggers.Action.HOLD;
                case "delay" -> Triggers.Action.DELAY;
                case "enospc" -> Triggers.Action.ENOSPC;
                case "eio" -> Triggers.Action.EIO;
                default -> throw new BadCommand("action must be hold, delay MS, enospc or eio, not '" + words[5] + "'");
            };
            int expected = action == Triggers.Action.DELAY ? 7 : 6;
            if (words.length != expected) throw new BadCommand("usage: arm before|after OP N GLOB [hold|delay MS|enospc|eio]");
            if (action == Triggers.Action.DELAY) delay = number(words[6], "MS");
        }
        if (action == Triggers.Action.EIO && op != IoOp.FSYNC && op != IoOp.FDATASYNC && op != IoOp.FSYNCDIR) {
            throw new BadCommand("eio applies to fsync, fdatasync or fsyncdir, not " + op.word());
        }
        if (action == Triggers.Action.ENOSPC && op != IoOp.WRITE && op != IoOp.CREATE) {
            throw new BadCommand("enospc applies to write or create, not " + op.word());
        }
        try {
            return "ok armed " + triggers.arm(phase, op, n, glob, action, delay).describe();
        } catch (IllegalArgumentException e) {
            throw new BadCommand("bad glob '" + glob + "': " + e.getMessage());
        }
    }

    private String torn(String[] words) throws Exception {
        if (words.length < 2 || words.length > 4) throw new BadCommand("usage: torn sectors|sectors-unordered|prefix [SEED [TAIL]]");
        long seed = words.length >= 3 ? number(words[2], "SEED") : ThreadLocalRandom.current().nextLong(1L << 48);
        long tail = words.length == 4 ? number(words[3], "TAIL") : 0;
        return switch (words[1].toLowerCase(Locale.ROOT)) {
            case "sectors" -> "ok " + model.tornSectors(seed, true).reply();
            case "sectors-unordered" -> "ok " + model.tornSectors(seed, false).reply();
            case "prefix" -> "ok " + model.tornPrefix(seed, tail).reply();
            default -> throw new BadCommand("torn mode must be sectors, sectors-unordered or prefix, not '" + words[1] + "'");
        };
    }

    private String status() {
        long space = model.spaceLeft();
        return "ok lossyfs metadata=" + model.metadata().name().toLowerCase(Locale.ROOT) + " sector=" + model.sectorSize()
                + " enospc=" + (space == LossyModel.UNLIMITED ? "off" : space == 0 ? "on" : "after:" + space)
                + " fsync-eio=" + model.fsyncEio().name().toLowerCase(Locale.ROOT);
    }

    private String report() {
        Results.Report r = model.report();
        StringBuilder sb = new StringBuilder("ok unsynced=").append(r.total()).append(" meta=").append(r.pendingMeta())
                .append(" files=").append(r.files().size());
        for (Map.Entry<String, Long> e : r.files().entrySet()) {
            sb.append(' ').append(encode(e.getKey())).append('=').append(e.getValue());
        }
        return sb.toString();
    }

    /** Paths are URL-encoded (keeping '/') so a reply splits on spaces and '=' unambiguously. */
    static String encode(String path) {
        return URLEncoder.encode(path, StandardCharsets.UTF_8).replace("%2F", "/").replace("+", "%20");
    }

    private static void arity(String[] words, int args) throws BadCommand {
        if (words.length - 1 != args) {
            throw new BadCommand(words[0] + " takes " + (args == 0 ? "no arguments" : args + " argument") + "; " + HELP);
        }
    }

    private static long number(String s, String what) throws BadCommand {
        try {
            long n = Long.parseLong(s);
            if (n < 0) throw new BadCommand(what + " must be >= 0, not " + s);
            return n;
        } catch (NumberFormatException e) {
            throw new BadCommand(what + " must be a whole number, not '" + s + "'");
        }
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }

    private static final class BadCommand extends Exception {
        BadCommand(String message) {
            super(message, null, false, false);
        }
    }
}
