package io.agentcouncil.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The ./agentcouncil launcher as a user runs it, in a process of its own, from the tests' working folder. */
final class Launcher {

    record Result(int exit, String out, String err) {}

    private Launcher() {}

    /** Runs {@code ./agentcouncil args} with {@code stdin} as its standard input and {@code env} added to the environment. */
    static Result run(List<String> args, Map<String, String> env, String stdin, Duration timeout) throws IOException, InterruptedException {
        Process p = start(args, env);
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        // Both streams are drained as they come, each on a thread of its own (the common pool may have
        // one thread on two cores): a full pipe would stall the CLI.
        Executor ownThread = task -> new Thread(task, "launcher-pipe").start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()), ownThread);
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()), ownThread);
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("agentcouncil " + args + " did not end within " + timeout + "; stdout:\n" + out.join() + "\nstderr:\n" + err.join());
        }
        return new Result(p.exitValue(), out.join(), err.join());
    }

    /** Starts {@code ./agentcouncil args}; the caller owns the process. */
    static Process start(List<String> args, Map<String, String> env) throws IOException {
        return builder(args, env).start();
    }

    /** {@code ./agentcouncil args} with {@code env} added to the environment, to start as the caller likes. */
    static ProcessBuilder builder(List<String> args, Map<String, String> env) throws IOException {
        Path root = repositoryRoot();
        Path jar = root.resolve("examples/cli/target/agentcouncil-cli.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is not built: failsafe runs this test after package");
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("agentcouncil").toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        // We are inside a Maven build: the launcher must not start another one on the same target folders.
        pb.environment().put("AGENTCOUNCIL_NO_BUILD", "1");
        pb.environment().putAll(env);
        return pb;
    }

    /** The folder holding the launcher; Maven runs tests from examples/cli. */
    static Path repositoryRoot() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("agentcouncil")) && Files.isRegularFile(dir.resolve("models.json"))) {
                return dir;
            }
        }
        throw new IOException("no ./agentcouncil launcher above " + Path.of("").toAbsolutePath());
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
