package lossmeter.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lossmeter.server.log.Log;

/** An error that ends the event loop is logged as itself, with where it happened. */
class FatalErrorTest {
    @TempDir
    Path tmp;

    @Test
    void outOfMemoryIsNamedWithTheHeapAndWhereItHappened() throws Exception {
        Path file = tmp.resolve("server.log");
        Log log = Log.toFile(file.toString());
        FatalError.log(log, new OutOfMemoryError("Java heap space"));
        String text = Files.readString(file);
        assertThat(text).contains("# Out Of Memory on the event loop: Java heap space (max heap ")
                .contains("# Fatal error in the event loop: java.lang.OutOfMemoryError: Java heap space")
                .contains("#     at lossmeter.server.FatalErrorTest.outOfMemoryIsNamedWithTheHeapAndWhereItHappened")
                .contains("Exiting with status 1").doesNotContain("SIGTERM");
    }

    @Test
    void anyOtherThrowableKeepsItsCause() throws Exception {
        Path file = tmp.resolve("server.log");
        Log log = Log.toFile(file.toString());
        FatalError.log(log, new IllegalStateException("broken invariant", new ArithmeticException("overflow")));
        assertThat(Files.readString(file)).contains("Fatal error in the event loop: java.lang.IllegalStateException: broken invariant")
                .contains("Caused by: java.lang.ArithmeticException: overflow").doesNotContain("Out Of Memory");
    }
}
