package io.agentcouncil.examples.http;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The guard the real-client tests stand on: a client that hangs is killed, with all it started, and reported. */
class ExternalProcessTest {

    @Test
    void aClientPastItsDeadlineIsKilledWithItsChildrenAndItsOutputIsReported() {
        long start = System.nanoTime();
        AssertionError e = assertThrows(AssertionError.class, () -> ExternalProcess.run(
                List.of("bash", "-c", "sleep 300 & echo child $!; echo waiting >&2; wait"), Duration.ofSeconds(2)));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 30, "killed, not waited for");
        String m = e.getMessage();
        assertTrue(m.contains("did not finish within 2 s"), m);
        assertTrue(m.contains("waiting"), "stderr is in the report: " + m);
        long child = Long.parseLong(m.replaceAll("(?s).*child (\\d+).*", "$1"));
        assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), "the client's child is killed too");
    }

    @Test
    void aFailedClientsReportHasTheCommandItsExitAndItsOutput() {
        ExternalProcess.Result r = ExternalProcess.run(List.of("bash", "-c", "echo out; echo err >&2; exit 3"),
                Duration.ofSeconds(30));
        assertEquals(3, r.exit());
        assertEquals("out\n", r.stdout());
        AssertionError e = assertThrows(AssertionError.class, r::requireSuccess);
        assertTrue(e.getMessage().contains("$ bash -c 'echo out; echo err >&2; exit 3'"), e.getMessage());
        assertTrue(e.getMessage().contains("exit 3") && e.getMessage().contains("err"), e.getMessage());
    }
}
