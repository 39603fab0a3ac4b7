package lossmeter.harness.node.container;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;

import lossmeter.faults.node.NodeException;

/** Commands run in a container through the daemon's exec API. */
final class Exec {
    /** The busybox tool dir every lossmeter container has (in its image, or on the tools volume). */
    static final String TOOLS = "/.lossmeter";
    static final String BUSYBOX = TOOLS + "/bin/busybox";

    /** What a command printed and how it ended. */
    record Result(int exitCode, byte[] stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }

        String out() {
            return new String(stdout, java.nio.charset.StandardCharsets.UTF_8);
        }

        /** stdout then stderr, as one text, for errors and CommandResult. */
        String output() {
            return out() + stderr;
        }
    }

    private Exec() {
    }

    /**
     * Runs {@code command} in the container and waits for it, at most {@code timeout} (then it is
     * killed by busybox's timeout inside the container, and a little later abandoned here).
     */
    static Result run(String container, List<String> command, List<String> env, Duration timeout) {
        DockerClient docker = Docker.client();
        List<String> cmd = new ArrayList<>(List.of(BUSYBOX, "timeout", "-s", "KILL", Long.toString(Math.max(1, timeout.toSeconds()))));
        cmd.addAll(command);
        String id;
        try {
            id = docker.execCreateCmd(container).withCmd(cmd.toArray(String[]::new)).withEnv(env).withAttachStdout(true)
                    .withAttachStderr(true).exec().getId();
        } catch (RuntimeException e) {
            throw new NodeException("cannot run " + command.getFirst() + " in container " + Docker.shortId(container) + ": "
                    + Docker.rootMessage(e), e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ResultCallback.Adapter<Frame> cb = docker.execStartCmd(id).exec(new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame f) {
                (f.getStreamType() == StreamType.STDERR ? err : out).writeBytes(f.getPayload());
            }
        })) {
            if (!cb.awaitCompletion(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
                throw new NodeException("command in container " + Docker.shortId(container) + " outlived " + timeout + ": " + command);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeException("interrupted while running " + command.getFirst() + " in a container", e);
        } catch (IOException e) {
            throw new NodeException("exec in container " + Docker.shortId(container) + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new NodeException("cannot run " + command.getFirst() + " in container " + Docker.shortId(container) + ": "
                    + Docker.rootMessage(e), e);
        }
        InspectExecResponse r = docker.inspectExecCmd(id).exec();
        Long code = r.getExitCodeLong();
        return new Result(code == null ? -1 : code.intValue(), out.toByteArray(), err.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A command whose stdin and stdout stay open: the harness's end of a relay into the container. */
    static final class Stream implements Closeable {
        private final PipedOutputStream toCommand = new PipedOutputStream();
        private final PipedInputStream fromCommand = new PipedInputStream(1 << 16);
        private final PipedOutputStream sink;
        private final ResultCallback.Adapter<Frame> callback;

        Stream(String container, List<String> command, List<String> env) throws IOException {
            DockerClient docker = Docker.client();
            PipedInputStream stdin = new PipedInputStream(toCommand, 1 << 16);
            sink = new PipedOutputStream(fromCommand);
            String id = docker.execCreateCmd(container).withCmd(command.toArray(String[]::new)).withEnv(env).withAttachStdin(true)
                    .withAttachStdout(true).withAttachStderr(false).exec().getId();
            callback = docker.execStartCmd(id).withStdIn(stdin).exec(new ResultCallback.Adapter<>() {
                @Override
                public void onNext(Frame f) {
                    try {
                        sink.write(f.getPayload());
                        sink.flush();
                    } catch (IOException closed) {
                        // The harness closed its end.
                    }
                }

                @Override
                public void onComplete() {
                    closeQuietly(sink);
                    super.onComplete();
                }

                @Override
                public void onError(Throwable t) {
                    closeQuietly(sink);
                    super.onError(t);
                }
            });
        }

        InputStream in() {
            return fromCommand;
        }

        OutputStream out() {
            return toCommand;
        }

        @Override
        public void close() {
            closeQuietly(toCommand);
            closeQuietly(callback);
            closeQuietly(fromCommand);
        }

        private static void closeQuietly(Closeable c) {
            try {
                c.close();
            } catch (IOException | RuntimeException e) {
                // Closing a relay that is already gone.
            }
        }
    }
}
