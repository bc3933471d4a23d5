package io.agentcouncil.cloud;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * llama-cpp-python's OpenAI-compatible server ({@code python -m llama_cpp.server}) on a free
 * loopback port, in the throwaway reference venv that {@code scripts/reference/make-venv} makes
 * (idempotent; on a fresh machine it builds llama-cpp-python first, which takes minutes). Its
 * output, uvicorn's access log included, goes to a file, which is how a test counts the requests
 * that really reached it.
 */
final class LlamaServer implements AutoCloseable {
    private static final Pattern CHAT_POST = Pattern.compile("\"POST /v1/chat/completions HTTP/1\\.1\" (\\d{3})");
    private static final Duration VENV_LIMIT = Duration.ofMinutes(45);
    private static final Duration START_LIMIT = Duration.ofMinutes(3);

    private final Process process;
    private final Path log;
    private final int port;

    private LlamaServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts the server on {@code model} requiring {@code apiKey}, and waits until it answers. */
    static LlamaServer start(Path model, String alias, String apiKey, Path logDir) throws IOException, InterruptedException {
        Path python = referenceVenvPython();
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        Files.createDirectories(logDir);
        Path log = logDir.resolve("llama-server-" + port + ".log");
        ProcessBuilder pb = new ProcessBuilder(python.toString(), "-m", "llama_cpp.server",
                "--model", model.toString(), "--model_alias", alias,
                "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--n_ctx", "1024", "--n_threads", "2", "--api_key", apiKey)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("PYTHONUNBUFFERED", "1");
        LlamaServer server = new LlamaServer(pb.start(), log, port);
        try {
            server.awaitReady(apiKey);
        } catch (Throwable t) {
            server.close();
            throw t;
        }
        return server;
    }

    private static Path referenceVenvPython() throws IOException, InterruptedException {
        Path script = repositoryRoot().resolve("scripts/reference/make-venv");
        System.err.println("LlamaServer: " + script + " (first run builds llama-cpp-python: minutes)");
        Process p = new ProcessBuilder(script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(VENV_LIMIT.toMinutes(), TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(script + " did not finish within " + VENV_LIMIT);
        }
        String stdout = new String(out, StandardCharsets.UTF_8).strip();
        if (p.exitValue() != 0) {
            throw new AssertionError(script + " failed with exit status " + p.exitValue() + " (its stderr is above)");
        }
        List<String> lines = stdout.lines().toList();
        Path python = Path.of(lines.isEmpty() ? "" : lines.get(lines.size() - 1));
        if (!Files.isExecutable(python)) {
            throw new AssertionError(script + " printed no python path, got: " + stdout);
        }
        return python;
    }

    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("scripts/reference/make-venv"))) {
                return p;
            }
        }
        throw new AssertionError("no scripts/reference/make-venv above " + Path.of("").toAbsolutePath());
    }

    private void awaitReady(String apiKey) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(baseUrl().resolve("/v1/models"))
                .header("Authorization", "Bearer " + apiKey).timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("llama_cpp.server exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("llama_cpp.server not ready within " + START_LIMIT + ":\n" + logTail());
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Chat-completion requests the server has logged so far, with their status codes. */
    List<Integer> chatRequests() throws IOException {
        Matcher m = CHAT_POST.matcher(new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
        return m.results().map(r -> Integer.parseInt(r.group(1))).toList();
    }

    String logTail() {
        try {
            String all = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
            return all.length() <= 4000 ? all : all.substring(all.length() - 4000);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
