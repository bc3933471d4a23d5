package io.agentcouncil.examples.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real clients the tests drive and where they come from: programs of the machine (curl, node,
 * Chromium, python3), and the scripts of {@code scripts/test-clients}, which set up the pinned
 * OpenAI client and playwright-core in throwaway folders. A missing program fails the test with
 * the package that installs it, never skips it: {@code .ci/run} installs them all.
 */
final class ClientTools {
    private ClientTools() {}

    /** The repository root: the folder above the module's that holds {@code scripts/test-clients}. */
    static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("scripts/test-clients"))) {
                return d;
            }
        }
        throw new AssertionError("no scripts/test-clients in " + dir + " or a folder above it");
    }

    static Path script(String name) {
        Path p = repoRoot().resolve("scripts/test-clients").resolve(name);
        if (!Files.isRegularFile(p)) {
            fail(p + " is missing");
        }
        return p;
    }

    /** {@code name} on PATH or in /usr/bin, or a failure saying {@code install} gets it. */
    static Path require(String name, String install) {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(java.io.File.pathSeparator)) {
                if (!d.isEmpty()) {
                    candidates.add(Path.of(d, name));
                }
            }
        }
        candidates.add(Path.of("/usr/bin", name));
        for (Path c : candidates) {
            if (Files.isRegularFile(c) && Files.isExecutable(c)) {
                return c;
            }
        }
        return fail(name + " not found on PATH or in /usr/bin: this test drives it as a real client; " + install
                + " (.ci/run installs it)");
    }

    /** The python of the OpenAI client's venv, made by {@code make-venv} if it is not there yet. */
    static Path openAiPython() {
        require("python3", "install python3 with venv (apt-get install python3 python3-venv)");
        ExternalProcess.Result r = ExternalProcess.run(List.of("bash", script("make-venv").toString()),
                Duration.ofMinutes(10)).requireSuccess();
        return executable(r, "make-venv");
    }

    /** The folder holding playwright-core, installed by {@code make-node} if it is not there yet. */
    static Path playwrightDir() {
        require("node", "install Node.js 20 or newer with npm (apt-get install nodejs npm)");
        require("npm", "install npm (apt-get install npm)");
        ExternalProcess.Result r = ExternalProcess.run(List.of("bash", script("make-node").toString()),
                Duration.ofMinutes(5)).requireSuccess();
        return executable(r, "make-node");
    }

    /** The last stdout line of a set-up script: the path it made. */
    private static Path executable(ExternalProcess.Result r, String script) {
        List<ExternalProcess.Line> lines = r.lines();
        if (lines.isEmpty()) {
            throw new AssertionError(script + " printed no path:" + r.report());
        }
        Path p = Path.of(lines.get(lines.size() - 1).text().strip());
        if (!Files.exists(p)) {
            throw new AssertionError(script + " printed " + p + ", which does not exist:" + r.report());
        }
        return p;
    }
}
