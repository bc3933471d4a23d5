package io.agentcouncil.cli;

import io.agentcouncil.gguf.GgufFile;
import io.agentcouncil.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ./agentcouncil launcher as a user runs it: a separate process, from another directory. */
class LauncherIT {

    @Test
    void launcherTokenizes(@TempDir Path elsewhere) throws Exception {
        Path root = Launcher.repositoryRoot();
        Path jar = root.resolve("examples/cli/target/agentcouncil-cli.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is not built: failsafe runs this test after package");
        Path model = Cli.model(Cli.AGENT0);

        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("agentcouncil").toString(), "tokenize", Cli.AGENT0, "Hello")
                .directory(elsewhere.toFile());
        // We are inside a Maven build: the launcher must not start another one on the same target folders.
        pb.environment().put("AGENTCOUNCIL_NO_BUILD", "1");
        Path stderr = elsewhere.resolve("stderr.txt");
        pb.redirectError(stderr.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "launcher timed out");
        assertEquals(0, p.exitValue(), Files.readString(stderr));

        int[] ids;
        try (GgufFile gguf = GgufFile.open(model)) {
            ids = Tokenizer.fromGguf(gguf.metadata()).encode("Hello");
        }
        String summary = ids.length + (ids.length == 1 ? " token: " : " tokens: ") + Arrays.toString(ids);
        assertTrue(out.endsWith(summary + "\n"), out);
    }

    /**
     * The README's main-job command, exactly as written there, run from the repository root: a
     * council turn whose answer goes to stdout and whose streamed turn and route go to stderr, as
     * README describes it.
     */
    @Test
    void readmeMainJobIsACouncilTurn() throws Exception {
        Path root = Launcher.repositoryRoot();
        Cli.model(Cli.AGENT0);
        String command = readmeMainJob(root);
        assertTrue(command.startsWith("./agentcouncil ask "), command);

        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).directory(root.toFile());
        pb.environment().put("AGENTCOUNCIL_NO_BUILD", "1");
        Path stderr = Files.createTempFile("agentcouncil-main-job", ".txt");
        try {
            pb.redirectError(stderr.toFile());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(300, TimeUnit.SECONDS), "main job timed out");
            String err = Files.readString(stderr);
            assertEquals(0, p.exitValue(), err);
            // README: Agent-0 is unsure, the council's general member answers.
            assertEquals("The capital of France is Paris.\n", out, err);
            assertTrue(err.contains("escalated to council (confidence 0.21 < 0.65): general"), err);
            assertTrue(err.lines().anyMatch(l -> l.startsWith("[council, confidence 1.00")), err);
        } finally {
            Files.deleteIfExists(stderr);
        }
    }

    /** The first line of the code block after "Run the main job" in README.md. */
    private static String readmeMainJob(Path root) throws IOException {
        List<String> lines = Files.readAllLines(root.resolve("README.md"));
        int i = 0;
        while (i < lines.size() && !lines.get(i).startsWith("Run the main job")) {
            i++;
        }
        while (i < lines.size() && !lines.get(i).startsWith("```")) {
            i++;
        }
        assertTrue(i + 1 < lines.size(), "README.md has no main-job command block");
        return lines.get(i + 1).strip();
    }
}
