package lossmeter.server.command;

import org.junit.jupiter.api.AfterEach;

/** What the command-group tests share: an in-process engine, one with an AOF on demand, and Redis's reply texts. */
abstract class CommandTestBase {
    static final String OK = "+OK\r\n";
    static final String NIL = "$-1\r\n";
    static final String EMPTY = "*0\r\n";
    static final String ZERO = ":0\r\n";
    static final String ONE = ":1\r\n";
    static final String WRONGTYPE = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
    static final String NOT_INT = "-ERR value is not an integer or out of range\r\n";
    static final String OVERFLOW = "-ERR increment or decrement would overflow\r\n";
    static final String POSITIVE = "-ERR value is out of range, must be positive\r\n";
    static final String SYNTAX = "-ERR syntax error\r\n";

    final EngineFixture f = new EngineFixture();
    private EngineFixture aof;

    @AfterEach
    void closeFixtures() throws Exception {
        f.close();
        if (aof != null) aof.close();
    }

    /** A second engine that writes an AOF, closed after the test. */
    EngineFixture aof() throws Exception {
        aof = new EngineFixture().withAof();
        return aof;
    }
}
