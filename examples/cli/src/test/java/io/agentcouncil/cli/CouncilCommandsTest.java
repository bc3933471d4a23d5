package io.agentcouncil.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.agentcouncil.cli.Cli.assertOneErrorLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * chat, ask and serve in-process where no model loads: what they refuse before loading one, and
 * what their usage says. Their real turns run through the launcher, in {@link CouncilLauncherIT}.
 */
class CouncilCommandsTest {

    @TempDir
    Path tmp;

    @Test
    void outOfRangeOptionsAreUsageErrors() {
        assertUsage(Cli.run("ask", "--gate", "1.5", "hi"), "--gate must be between 0 and 1");
        assertUsage(Cli.run("ask", "--max-new-tokens", "0", "hi"), "--max-new-tokens must be between 1 and 4096");
        assertUsage(Cli.run("chat", "--threads", "-1"), "--threads must be between 0");
        assertUsage(Cli.run("serve", "--port", "70000"), "--port must be between 0 and 65535");
        assertUsage(Cli.run("ask", "--gate", "high", "hi"), "'high' is not a double");
    }

    @Test
    void malformedSpecialistsAreUsageErrors() {
        assertUsage(Cli.run("ask", "--specialist", "general", "hi"), "--specialist takes NAME=MODEL");
        assertUsage(Cli.run("ask", "--specialist", "=qwen2.5-coder-0.5b-instruct", "hi"), "--specialist takes NAME=MODEL");
        assertUsage(Cli.run("ask", "--specialist", "a=qwen2.5-coder-0.5b-instruct", "--specialist", "a=smollm2-135m-instruct", "hi"),
                "--specialist a is given twice");
        assertUsage(Cli.run("chat", "--specialist", "general=no-such-model"), "\"no-such-model\" is neither a file nor a roster model");
        assertUsage(Cli.run("ask", "--agent0", tmp.resolve("absent.gguf").toString(), "hi"), "is neither a file nor a roster model");
    }

    @Test
    void missingQuestionMemoryFolderOrSessionAreUsageErrors() {
        assertUsage(Cli.run("ask"), "Missing required parameter: 'QUESTION'");
        assertUsage(Cli.run("ask", "  "), "the question is empty");
        assertUsage(Cli.run("ask", "--session", " ", "hi"), "--session needs a name");
        assertUsage(Cli.run("chat", "--memory", tmp.resolve("no/such/folder/memory.db").toString()), "does not exist");
    }

    @Test
    void usageListsTheCommandsAndExitStatuses() {
        Cli.Result top = Cli.run("--help");
        assertEquals(0, top.exit(), top.err());
        for (String command : new String[] {"chat", "ask", "serve", "generate"}) {
            assertTrue(top.out().contains("\n  " + command + " "), command + " in:\n" + top.out());
        }
        for (String command : new String[] {"--help", "chat --help", "ask --help"}) {
            Cli.Result r = Cli.run(command.split(" "));
            assertEquals(0, r.exit(), r.err());
            String usage = r.out().replaceAll("\\s+", " ");
            assertTrue(usage.contains("Exit status: 0 success 1 a runtime failure") && usage.contains(" 2 a usage error")
                    && usage.contains(" 3 a roster model is not fetched"), command + ":\n" + r.out());
        }
        Cli.Result chat = Cli.run("chat", "--help");
        for (String option : new String[] {"--agent0", "--specialist", "--gate", "--max-new-tokens", "--memory", "--threads",
                "--fetch", "--session", "/reset", "/session NAME", "/stats", "/quit"}) {
            assertTrue(chat.out().contains(option), option + " in:\n" + chat.out());
        }
    }

    private static void assertUsage(Cli.Result r, String mentions) {
        assertEquals(2, r.exit(), r.err());
        assertOneErrorLine(r, mentions);
        assertEquals("", r.out());
    }
}
