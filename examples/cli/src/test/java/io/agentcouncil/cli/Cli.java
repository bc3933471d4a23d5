package io.agentcouncil.cli;

import io.agentcouncil.models.ModelRoster;
import io.agentcouncil.models.ModelSpec;
import org.junit.jupiter.api.Assumptions;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Runs the CLI in-process, as the launcher would, and finds the real models the tests use. */
final class Cli {
    static final String AGENT0 = "smollm2-135m-instruct";

    record Result(int exit, String out, String err) {}

    private Cli() {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /**
     * The roster model's file. A missing model fails the test with the command that fetches it;
     * only AGENTCOUNCIL_ALLOW_MISSING_MODELS=1 turns that into a skip, for machines without the cache.
     */
    static Path model(String name) {
        ModelRoster roster = ModelRoster.get();
        ModelSpec spec = roster.find(name).orElseThrow();
        if (!roster.isFetched(spec)) {
            String why = name + " is not in " + roster.cacheDir() + ": run scripts/fetch-models " + name;
            if ("1".equals(System.getenv("AGENTCOUNCIL_ALLOW_MISSING_MODELS"))) {
                System.out.println("skipped: " + why);
                Assumptions.abort(why);
            }
            fail(why);
        }
        return roster.pathOf(spec);
    }

    /** The failure was reported as one {@code error:} line mentioning {@code mentions}, without a stack trace. */
    static void assertOneErrorLine(Result r, String mentions) {
        assertTrue(r.err().startsWith("error: ") && r.err().contains(mentions), r.err());
        assertEquals(1, r.err().lines().count(), "one line, no stack trace:\n" + r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }
}
