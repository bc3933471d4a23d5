package io.agentcouncil.examples.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real client program run as a child process with a deadline: its stdout lines with the time
 * each arrived, its stderr, its exit code. Past the deadline the process and everything it
 * started are killed and the test fails with what they printed, so a hung client never hangs the
 * build. Every failure message carries the command and its output.
 */
final class ExternalProcess {

    /** One stdout line and when it arrived, in nanoseconds since the process started. */
    record Line(String text, long atNanos) {}

    /** A finished process. */
    record Result(List<String> command, int exit, List<Line> lines, String stderr, Duration took) {

        String stdout() {
            StringBuilder b = new StringBuilder();
            lines.forEach(l -> b.append(l.text()).append('\n'));
            return b.toString();
        }

        /** The command and all it printed, for an assertion message. */
        String report() {
            return "\n$ " + shell(command) + "\nexit " + exit + " after " + took.toMillis() + " ms"
                    + "\n--- stdout ---\n" + clip(stdout()) + "\n--- stderr ---\n" + clip(stderr) + "\n---";
        }

        /** The result, after failing with {@link #report()} unless it exited 0. */
        Result requireSuccess() {
            if (exit != 0) {
                throw new AssertionError("the client failed:" + report());
            }
            return this;
        }
    }

    private ExternalProcess() {}

    static Result run(List<String> command, Duration timeout) {
        return run(command, Map.of(), null, timeout);
    }

    static Result run(List<String> command, Map<String, String> env, Path dir, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        long start = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + shell(command) + ": " + e.getMessage(), e);
        }
        List<Line> lines = Collections.synchronizedList(new ArrayList<>());
        StringBuilder err = new StringBuilder();
        Thread outReader = reader(p.getInputStream(), line -> lines.add(new Line(line, System.nanoTime() - start)), command);
        Thread errReader = reader(p.getErrorStream(), line -> {
            synchronized (err) {
                err.append(line).append('\n');
            }
        }, command);
        boolean exited;
        try {
            exited = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(p);
            throw new AssertionError("interrupted waiting for " + shell(command), e);
        }
        if (!exited) {
            kill(p);
        }
        join(outReader);
        join(errReader);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        Result r;
        synchronized (err) {
            r = new Result(List.copyOf(command), exited ? p.exitValue() : -1, List.copyOf(lines), err.toString(), took);
        }
        if (!exited) {
            throw new AssertionError("the client did not finish within " + timeout.toSeconds() + " s and was killed:"
                    + r.report());
        }
        return r;
    }

    /** The process and its descendants (pip's, npm's, Chromium's children), forcibly. */
    private static void kill(Process p) {
        List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
        all.add(p.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // SIGKILL was sent; a process that outlives 10 s more is beyond what a test can do
            }
        }
    }

    private static Thread reader(InputStream in, java.util.function.Consumer<String> sink, List<String> command) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // the process went away; what was read is kept
            }
        }, "output of " + command.get(0));
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void join(Thread t) {
        try {
            t.join(10_000); // a grandchild that kept the pipe open must not hold the test
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The command as a shell would take it, to run it again by hand. */
    static String shell(List<String> command) {
        StringBuilder b = new StringBuilder();
        for (String arg : command) {
            if (!b.isEmpty()) {
                b.append(' ');
            }
            b.append(arg.matches("[A-Za-z0-9_@%+=:,./-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
        }
        return b.toString();
    }

    private static String clip(String s) {
        int max = 20_000;
        return s.length() <= max ? s : s.substring(0, max / 2) + "\n[... " + (s.length() - max) + " characters ...]\n"
                + s.substring(s.length() - max / 2);
    }
}
