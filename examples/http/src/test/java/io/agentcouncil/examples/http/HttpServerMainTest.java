package io.agentcouncil.examples.http;

import io.agentcouncil.examples.http.HttpServerMain.Options;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpServerMainTest {

    @Test
    void defaultsToLoopbackOn8000() {
        assertEquals(new Options("127.0.0.1", 8000, null, false), Options.parse());
    }

    @Test
    void takesHostAndPort() {
        assertEquals(new Options("0.0.0.0", 0, java.nio.file.Path.of("m.db"), false),
                Options.parse("--host", "0.0.0.0", "--port", "0", "--memory", "m.db"));
        assertTrue(Options.parse("--port", "9000", "--help").help());
    }

    @Test
    void refusesBadArgumentsByName() {
        assertEquals("--port must be a number from 0 to 65535, not 70000",
                assertThrows(IllegalArgumentException.class, () -> Options.parse("--port", "70000")).getMessage());
        assertEquals("--port must be a number from 0 to 65535, not http",
                assertThrows(IllegalArgumentException.class, () -> Options.parse("--port", "http")).getMessage());
        assertEquals("--host needs a value",
                assertThrows(IllegalArgumentException.class, () -> Options.parse("--host")).getMessage());
        assertEquals("unknown argument: --verbose",
                assertThrows(IllegalArgumentException.class, () -> Options.parse("--verbose")).getMessage());
    }
}
