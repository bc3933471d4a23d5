package io.agentcouncil.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs {@code scripts/fetch-models}, the one place models are downloaded and verified, rather
 * than a second downloader in Java. Its output is streamed through as it comes, progress lines
 * included.
 */
final class FetchScript {
    static final String HOME_ENV = "AGENTCOUNCIL_HOME";
    private static final String SCRIPT = "scripts/fetch-models";

    private FetchScript() {}

    /** {@code $AGENTCOUNCIL_HOME/scripts/fetch-models} (the launcher sets it), else in the working directory or a parent. */
    static Path locate() {
        String home = System.getenv(HOME_ENV);
        if (home != null && !home.isBlank()) {
            Path p = Path.of(home, SCRIPT);
            if (Files.isRegularFile(p)) {
                return p;
            }
            throw new CliException(CliException.BAD_FILE, HOME_ENV + "=" + home + " has no " + SCRIPT);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve(SCRIPT);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new CliException(CliException.BAD_FILE, "cannot find " + SCRIPT + ": run from the AgentCouncil checkout, or set "
                + HOME_ENV + " to it (the ./agentcouncil launcher does)");
    }

    /** Runs the script with {@code args}; its stdout goes to {@code out}, its stderr to {@code err}. Returns its exit code. */
    static int run(List<String> args, PrintWriter out, PrintWriter err) throws InterruptedException {
        Path script = locate();
        List<String> command = new ArrayList<>(List.of("python3", script.toString()));
        command.addAll(args);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new CliException(CliException.BAD_FILE, "cannot run " + script + ": " + e.getMessage());
        }
        Thread errPump = new Thread(() -> pump(process.getErrorStream(), err), "fetch-models-stderr");
        errPump.start();
        pump(process.getInputStream(), out);
        errPump.join();
        return process.waitFor();
    }

    /**
     * Fetches {@code names}, reporting on {@code err}: through a progress bar when stderr is a
     * terminal, else the script's own lines. Returns the script's exit code.
     */
    static int fetch(List<String> names, PrintWriter err) throws InterruptedException {
        Progress progress = Progress.on(err);
        if (!progress.animated()) {
            return run(names, err, err);
        }
        try (Progress.Task task = progress.start("fetching " + String.join(", ", names))) {
            // One writer per stream: lines of the two would otherwise mix inside one buffer.
            PrintWriter out = new PrintWriter(new FetchProgress(task), true);
            PrintWriter log = new PrintWriter(new FetchProgress(task), true);
            int rc = run(names, out, log);
            out.close();
            log.close();
            task.done(String.format(Locale.ROOT, "fetch of %s %s after %.0f s", String.join(", ", names),
                    rc == 0 ? "done" : "failed", task.seconds()));
            return rc;
        }
    }

    /** Copies as text arrives, not by line, so carriage-return progress lines animate. */
    private static void pump(InputStream in, PrintWriter to) {
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            char[] buf = new char[4096];
            for (int n; (n = r.read(buf)) > 0; ) {
                to.write(buf, 0, n);
                to.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
