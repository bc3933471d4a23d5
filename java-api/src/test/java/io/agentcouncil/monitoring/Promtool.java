package io.agentcouncil.monitoring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus's own checker ({@code promtool}, Debian package {@code prometheus}, which
 * {@code .ci/run} installs). Missing, it fails the test with the command that installs it.
 */
public final class Promtool {
    /** The repository's {@code monitoring/} folder, from java-api's working directory. */
    public static final Path MONITORING = Path.of("..", "monitoring");

    private Promtool() {}

    /** What one run printed and how it exited. */
    public record Result(int exitCode, String output) {}

    public static Result run(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("promtool " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), out);
    }

    /** {@code promtool check metrics} on a scrape, given on its standard input. */
    public static Result checkMetrics(String scrape) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(executable(), "check", "metrics").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(scrape.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("promtool check metrics did not finish in 60 s");
        }
        return new Result(p.exitValue(), out);
    }

    private static String executable() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError("promtool not found on PATH: apt-get install prometheus (the Debian package carries it)");
    }
}
