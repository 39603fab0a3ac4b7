package lossmeter.server.resp;

import static lossmeter.server.resp.ParserDriver.bytes;
import static lossmeter.server.resp.ParserDriver.parseAll;
import static lossmeter.server.resp.ParserDriver.parseInPieces;
import static lossmeter.server.resp.ParserDriver.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pins down what {@link RequestParser} accepts and rejects, with the exact error texts Redis 7.0
 * sends, checked against a real redis-server 7.0.15.
 */
class RequestParserTest {
    private static final long MAX_BULK = 512L * 1024 * 1024; // proto-max-bulk-len default

    private static RequestParser socket() {
        return new RequestParser(RequestParser.Mode.SOCKET, MAX_BULK);
    }

    private static RequestParser aof() {
        return new RequestParser(RequestParser.Mode.AOF, Long.MAX_VALUE);
    }

    private static ProtocolException errorOf(RequestParser p, String input) {
        byte[] data = bytes(input);
        p.feed(data, 0, data.length, 0);
        try {
            for (int i = 0; i <= data.length; i++) {
                if (p.next() == null) break;
            }
        } catch (ProtocolException e) {
            return e;
        }
        throw new AssertionError("no protocol error for " + input.replace("\r", "\\r").replace("\n", "\\n"));
    }

    private static String socketError(String input) {
        return errorOf(socket(), input).getMessage();
    }

    @Nested
    class Multibulk {
        @Test
        void parsesACommandAndConsumesExactlyItsBytes() throws Exception {
            RequestParser p = socket();
            byte[] data = bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n");
            p.feed(data, 0, data.length, 100);

            assertThat(strings(p.next())).containsExactly("SET", "k", "value");
            assertThat(p.position()).isEqualTo(data.length);
            // The stream offset carries the base given to feed(), so AOF offsets are file offsets.
            assertThat(p.streamPosition()).isEqualTo(100 + data.length);
            assertThat(p.inCommand()).isFalse();
            assertThat(p.next()).isNull();
        }

        @Test
        void argumentsAreBinarySafe() throws Exception {
            // A bulk is taken by its length: CR, LF, NUL and high bytes inside are data.
            String value = "a\r\nb\0\u00ff*$";
            List<List<String>> cmds = parseAll(socket(), bytes("*2\r\n$4\r\nECHO\r\n$" + value.length() + "\r\n" + value + "\r\n"));
            assertThat(cmds).containsExactly(List.of("ECHO", value));
        }

        @Test
        void emptyBulkIsAnEmptyArgument() throws Exception {
            assertThat(parseAll(socket(), bytes("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n"))).containsExactly(List.of("ECHO", ""));
        }

        @Test
        void bulkAtExactlyTheConfiguredMaximumIsAcceptedAndWaitedFor() throws Exception {
            RequestParser p = new RequestParser(RequestParser.Mode.SOCKET, 5);
            assertThat(parseAll(p, bytes("*1\r\n$5\r\nhello\r\n"))).containsExactly(List.of("hello"));
        }

        @Test
        void maxBulkLenCanChangeBetweenReads() {
            // EventLoop.read re-applies proto-max-bulk-len before each read (CONFIG SET takes effect at once).
            RequestParser p = new RequestParser(RequestParser.Mode.SOCKET, 100);
            p.maxBulkLen(3);
            assertThat(errorOf(p, "*1\r\n$4\r\nPING\r\n").getMessage()).isEqualTo("Protocol error: invalid bulk length");
        }
    }

    @Nested
    class Inline {
        @Test
        void quotesAndEscapesFollowSdssplitargs() throws Exception {
            // The brief's example: double quotes keep spaces and decode \xHH, single quotes allow \'.
            assertThat(parseAll(socket(), bytes("set \"a b\" 'c\\'d' \"\\x41\"\r\n")))
                    .containsExactly(List.of("set", "a b", "c'd", "A"));
        }

        @Test
        void doubleQuotedEscapes() throws Exception {
            assertThat(parseAll(socket(), bytes("echo \"\\n\\r\\t\\b\\a\\\\\\\"\\q\"\r\n")))
                    .containsExactly(List.of("echo", "\n\r\t\b\u0007\\\"q"));
        }

        @Test
        void incompleteHexEscapeIsLiteral() throws Exception {
            // Real Redis answers `echo "abc\x4"` with "abcx4": \x needs two hex digits, else \ escapes x.
            assertThat(parseAll(socket(), bytes("echo \"abc\\x4\"\r\n"))).containsExactly(List.of("echo", "abcx4"));
        }

        @Test
        void singleQuotesKeepBackslashesOtherThanQuote() throws Exception {
            assertThat(parseAll(socket(), bytes("echo 'a\\nb'\r\n"))).containsExactly(List.of("echo", "a\\nb"));
        }

        @Test
        void emptyQuotedArgument() throws Exception {
            assertThat(parseAll(socket(), bytes("echo \"\"\r\n"))).containsExactly(List.of("echo", ""));
        }

        @Test
        void bareLfEndsALineAndSurroundingBlanksAreIgnored() throws Exception {
            assertThat(parseAll(socket(), bytes("  PING  \nPING\r\n"))).containsExactly(List.of("PING"), List.of("PING"));
        }

        @Test
        void emptyLinesAreEmptyRequests() throws Exception {
            // The dispatcher ignores an empty argv; real Redis answers "\r\n\r\nPING\r\n" with one +PONG.
            assertThat(parseAll(socket(), bytes("\r\n\nPING\r\n"))).containsExactly(List.of(), List.of(), List.of("PING"));
        }

        @Test
        void lineLongerThanTheLimitWithoutNewlineIsRejected() {
            RequestParser p = socket();
            byte[] atLimit = bytes("a".repeat(RequestParser.MAX_INLINE));
            p.feed(atLimit, 0, atLimit.length, 0);
            // Exactly 64 KiB may still be completed by a newline, as in Redis (> PROTO_INLINE_MAX_SIZE).
            assertThat(catchNext(p)).isNull();

            assertThat(socketError("a".repeat(RequestParser.MAX_INLINE + 1))).isEqualTo("Protocol error: too big inline request");
        }

        private Object catchNext(RequestParser p) {
            try {
                return p.next();
            } catch (ProtocolException e) {
                return e;
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"set \"a b\r\n", "set 'a\r\n", "set \"a\"b c\r\n", "echo ''x\r\n"})
        void unbalancedQuotes(String line) {
            // All four checked against redis-server 7.0.15: same reply, then the connection closes.
            assertThat(socketError(line)).isEqualTo("Protocol error: unbalanced quotes in request");
        }

        @Test
        void verticalTabInsideAWordDoesNotSplitIt() throws Exception {
            assertThat(parseAll(socket(), bytes("echo a\u000bb\r\n"))).containsExactly(List.of("echo", "a\u000bb"));
        }
    }

    @Nested
    class Pipelining {
        private static final String PIPELINE = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\nv1\r\n"
                + "set \"a b\" 'c\\'d'\r\n"
                + "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n";
        private static final List<List<String>> EXPECTED = List.of(
                List.of("SET", "k", "v1"), List.of("set", "a b", "c'd"), List.of("GET", "k"));

        @Test
        void threeCommandsInOneBuffer() throws Exception {
            RequestParser p = socket();
            assertThat(parseAll(p, bytes(PIPELINE))).isEqualTo(EXPECTED);
            assertThat(p.position()).isEqualTo(bytes(PIPELINE).length);
        }

        @Test
        void everySplitPointGivesTheSameCommands() throws Exception {
            byte[] full = bytes(PIPELINE);
            for (int cut = 0; cut <= full.length; cut++) {
                RequestParser p = socket();
                assertThat(parseInPieces(p, full, cut)).as("split at %d", cut).isEqualTo(EXPECTED);
                assertThat(p.inCommand()).as("split at %d", cut).isFalse();
            }
        }

        @Test
        void everyPairOfSplitPointsGivesTheSameCommands() throws Exception {
            // Three pieces exercise a partial header followed by a partial argument and the like.
            byte[] full = bytes(PIPELINE);
            for (int a = 0; a <= full.length; a++) {
                for (int b = a; b <= full.length; b++) {
                    assertThat(parseInPieces(socket(), full, a, b)).as("splits at %d,%d", a, b).isEqualTo(EXPECTED);
                }
            }
        }

        @Test
        void oneByteAtATime() throws Exception {
            byte[] full = bytes(PIPELINE);
            int[] cuts = new int[full.length];
            for (int i = 0; i < full.length; i++) cuts[i] = i + 1;
            assertThat(parseInPieces(socket(), full, cuts)).isEqualTo(EXPECTED);
        }

        @Test
        void argumentsCompletedBeforeACutAreConsumed() throws Exception {
            // Completed arguments are consumed (the reader may compact them away) while the
            // header of an incomplete one stays, so a half-arrived bulk is re-parsed from its '$'.
            RequestParser p = socket();
            byte[] data = bytes("*2\r\n$3\r\nGET\r\n$5\r\nab");
            p.feed(data, 0, data.length, 0);
            assertThat(p.next()).isNull();
            assertThat(p.position()).isEqualTo("*2\r\n$3\r\nGET\r\n".length());
            assertThat(p.inCommand()).isTrue();
            assertThat(p.pendingBulkBytes()).isEqualTo("$5\r\nabcde\r\n".length());
        }
    }

    @Nested
    class ProtocolErrors {
        @ParameterizedTest
        @ValueSource(strings = {"*abc\r\n", "*\r\n", "*+1\r\n", "*1 \r\n", "*2147483648\r\n", "*9223372036854775807\r\n",
                "*99999999999999999999\r\n"})
        void invalidMultibulkLength(String input) {
            assertThat(socketError(input)).isEqualTo("Protocol error: invalid multibulk length");
        }

        @ParameterizedTest
        @ValueSource(strings = {"*-1\r\n", "*-5\r\n", "*0\r\n", "*-2147483649\r\n"})
        void zeroOrNegativeCountIsAnEmptyRequest(String header) throws Exception {
            // Real Redis answers "*-1\r\nPING\r\n" with +PONG and keeps the connection open.
            assertThat(parseAll(socket(), bytes(header + "PING\r\n"))).containsExactly(List.of(), List.of("PING"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"*1\r\n$-2\r\n", "*1\r\n$-1\r\n", "*1\r\n$abc\r\n", "*1\r\n$\r\n", "*1\r\n$+4\r\nPING\r\n",
                "*1\r\n$536870913\r\n", "*1\r\n$9223372036854775807\r\n", "*1\r\n$-01\r\n", "*2\r\n$4\r\necho\r\n$18446744073709551616\r\n"})
        void invalidBulkLength(String input) {
            assertThat(socketError(input)).isEqualTo("Protocol error: invalid bulk length");
        }

        @Test
        void bulkLongerThanTheConfiguredMaximum() {
            RequestParser p = new RequestParser(RequestParser.Mode.SOCKET, 1024 * 1024);
            assertThat(errorOf(p, "*1\r\n$1048577\r\n").getMessage()).isEqualTo("Protocol error: invalid bulk length");
        }

        @Test
        void expectedDollar() {
            assertThat(socketError("*1\r\nx\r\n")).isEqualTo("Protocol error: expected '$', got 'x'");
            assertThat(socketError("*2\r\n$3\r\nGET\r\n:1\r\n")).isEqualTo("Protocol error: expected '$', got ':'");
        }

        @Test
        void tooBigCountStrings() {
            String digits = "1".repeat(RequestParser.MAX_INLINE + 10);
            assertThat(socketError("*" + digits)).isEqualTo("Protocol error: too big mbulk count string");
            assertThat(socketError("*1\r\n$" + digits)).isEqualTo("Protocol error: too big bulk count string");
        }

        @Test
        void errorOffsetsAreStreamOffsets() {
            RequestParser p = socket();
            byte[] data = bytes("*1\r\n$4\r\nPING\r\n*1\r\nx");
            p.feed(data, 0, data.length, 1000);
            assertThatThrownBy(() -> {
                while (p.next() != null) {
                    // drain
                }
            }).isInstanceOf(ProtocolException.class)
                    .satisfies(e -> assertThat(((ProtocolException) e).offset()).isEqualTo(1000 + data.length - 1));
        }

        @Test
        void bareMinusCountIsAnInvalidMultibulkLength() {
            assertThat(socketError("*-\r\n")).isEqualTo("Protocol error: invalid multibulk length");
        }

        @ParameterizedTest
        @ValueSource(strings = {"*01\r\n$4\r\nPING\r\n", "*-0\r\nPING\r\n"})
        void nonCanonicalCountsAreRejected(String input) {
            assertThat(socketError(input)).isEqualTo("Protocol error: invalid multibulk length");
        }

        @ParameterizedTest
        @ValueSource(strings = {"*1\r\n$04\r\nPING\r\n", "*1\r\n$-0\r\n\r\n"})
        void nonCanonicalBulkLengthsAreRejected(String input) {
            assertThat(socketError(input)).isEqualTo("Protocol error: invalid bulk length");
        }

        @Test
        void overflowingCountIsAnInvalidMultibulkLength() {
            assertThat(socketError("*9999999999999999999\r\nPING\r\n")).isEqualTo("Protocol error: invalid multibulk length");
        }

        @Test
        void countsAboveOneMebiAreAcceptedAsInRedis7() throws Exception {
            RequestParser p = socket();
            byte[] data = bytes("*1048577\r\n");
            p.feed(data, 0, data.length, 0);
            assertThat(p.next()).isNull();
            assertThat(p.inCommand()).isTrue();
        }
    }

    @Nested
    class AofMode {
        @Test
        void annotationsAreSkippedAndFlagged() throws Exception {
            RequestParser p = aof();
            byte[] data = bytes("#TS:123\r\n*1\r\n$4\r\nPING\r\n#TS:124\n");
            p.feed(data, 0, data.length, 0);

            assertThat(p.next()).isEmpty();
            assertThat(p.sawAnnotation()).isTrue();
            assertThat(p.streamPosition()).isEqualTo("#TS:123\r\n".length());

            assertThat(strings(p.next())).containsExactly("PING");
            assertThat(p.sawAnnotation()).isFalse();

            assertThat(p.next()).isEmpty();
            assertThat(p.sawAnnotation()).isTrue();
            assertThat(p.next()).isNull();
            assertThat(p.inCommand()).isFalse();
        }

        @Test
        void annotationCutByTheEndWaits() throws Exception {
            RequestParser p = aof();
            byte[] data = bytes("#TS:12");
            p.feed(data, 0, data.length, 0);
            assertThat(p.next()).isNull();
            assertThat(p.position()).isZero();
        }

        @ParameterizedTest
        @ValueSource(strings = {"hello\r\n", "PING\r\n", "$4\r\nPING\r\n", " *1\r\n", "\r\n"})
        void anythingButStarOrHashIsAFormatError(String input) {
            // Inline commands are a socket convenience; in the AOF they are corruption.
            ProtocolException e = errorOf(aof(), input);
            assertThat(e.getMessage()).startsWith("Bad file format");
            assertThat(e.offset()).isZero();
        }

        @Test
        void formatErrorOffsetPointsAtTheBadLine() {
            ProtocolException e = errorOf(aof(), "*1\r\n$4\r\nPING\r\nhello\r\n");
            assertThat(e.offset()).isEqualTo("*1\r\n$4\r\nPING\r\n".length());
        }

        @ParameterizedTest
        @ValueSource(strings = {"*0\r\n", "*-1\r\n"})
        void emptyMultibulkIsAFormatError(String input) {
            // aof.c: argc < 1 goes to fmterr.
            assertThat(errorOf(aof(), input).getMessage()).startsWith("Bad file format");
        }

        @Test
        void bulkNotFollowedByCrlfIsAnError() {
            // `$3\r\nab\r\n` (length mismatch) would otherwise swallow the next command's first byte;
            // redis-check-aof rejects it too ("Expected \r\n").
            assertThat(errorOf(aof(), "*2\r\n$3\r\nSET\r\n$3\r\nab\r\n*1\r\n$4\r\nPING\r\n").getMessage())
                    .contains("not followed by CRLF");
        }

        @Test
        void inCommandIsTrueOnEveryCutInsideACommand() throws Exception {
            byte[] cmd = bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n");
            for (int cut = 1; cut < cmd.length; cut++) {
                RequestParser p = aof();
                p.feed(cmd, 0, cut, 0);
                assertThat(p.next()).as("cut at %d", cut).isNull();
                assertThat(p.inCommand()).as("cut at %d", cut).isTrue();
            }
            RequestParser p = aof();
            p.feed(cmd, 0, cmd.length, 0);
            assertThat(p.next()).isNotNull();
            assertThat(p.inCommand()).isFalse();
        }

        @Test
        void resetForgetsAPartialCommand() throws Exception {
            RequestParser p = aof();
            byte[] cut = bytes("*3\r\n$3\r\nSET\r\n");
            p.feed(cut, 0, cut.length, 0);
            assertThat(p.next()).isNull();
            p.reset();
            assertThat(p.inCommand()).isFalse();
            byte[] fresh = bytes("*1\r\n$4\r\nPING\r\n");
            p.feed(fresh, 0, fresh.length, 0);
            assertThat(strings(p.next())).containsExactly("PING");
        }

        @Test
        void hugeBulksAreAllowedByTheLoaderLimit() throws Exception {
            // The loader parses with Long.MAX_VALUE: the file decides, not proto-max-bulk-len.
            RequestParser p = aof();
            byte[] data = bytes("*1\r\n$600000000\r\nab");
            p.feed(data, 0, data.length, 0);
            assertThat(p.next()).isNull();
            assertThat(p.pendingBulkBytes()).isEqualTo(("$600000000\r\n").length() + 600_000_000 + 2);
        }
    }

    @Test
    void emptyBufferNeedsMoreBytes() throws Exception {
        RequestParser p = socket();
        p.feed(new byte[0], 0, 0, 0);
        assertThat(p.next()).isNull();
        assertThat(p.inCommand()).isFalse();
    }
}
