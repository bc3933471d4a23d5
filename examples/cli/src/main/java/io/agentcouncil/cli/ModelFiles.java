package io.agentcouncil.cli;

import io.agentcouncil.UnsupportedModelException;
import io.agentcouncil.engine.LocalModel;
import io.agentcouncil.gguf.GgufFile;
import io.agentcouncil.gguf.GgufFormatException;
import io.agentcouncil.models.ModelRoster;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * The MODEL argument of every command: a roster name or a path, opened as a GGUF file. Whatever
 * goes wrong with the file becomes a {@link CliException} that names it, because "offset 0: not a
 * GGUF file" means little without saying which file.
 */
final class ModelFiles {
    private ModelFiles() {}

    /** What a command does with the open file; returns the exit code. */
    interface Work {
        int apply(Path path, GgufFile gguf) throws IOException;
    }

    /** A roster model that is fetched, or an existing file. */
    static Path resolve(String nameOrPath) {
        ModelRoster roster = ModelRoster.get();
        if (roster.find(nameOrPath).filter(spec -> !roster.isFetched(spec)).isPresent()) {
            throw notFetched(List.of(nameOrPath), "");
        }
        try {
            return roster.resolve(nameOrPath);
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, e.getMessage());
        }
    }

    /** Roster models missing from the cache, with the one command that fetches them all; {@code hint} follows it. */
    static CliException notFetched(List<String> names, String hint) {
        String which = names.size() == 1 ? "model " + names.get(0) + " is" : "models " + String.join(", ", names) + " are";
        return new CliException(CliException.MODEL_MISSING, which + " not fetched into " + ModelRoster.get().cacheDir()
                + ": run scripts/fetch-models " + String.join(" ", names) + hint);
    }

    /**
     * Like {@link #resolve}, but a roster model that is not on disk yet is fetched first, so the
     * README's first command works on a fresh machine. Fetch output goes to {@code progress}.
     */
    static Path resolveFetching(String nameOrPath, PrintWriter progress) throws InterruptedException {
        ModelRoster roster = ModelRoster.get();
        var missing = roster.find(nameOrPath).filter(spec -> !roster.isFetched(spec));
        if (missing.isPresent()) {
            progress.println("fetching " + nameOrPath + " into " + roster.cacheDir() + " (first run)…");
            progress.flush();
            int rc = FetchScript.fetch(List.of(nameOrPath), progress);
            if (rc != 0) {
                throw new CliException(CliException.BAD_FILE, "fetching " + nameOrPath + " failed (scripts/fetch-models exit " + rc + ")");
            }
        }
        return resolve(nameOrPath);
    }

    /**
     * The MODEL of a command that runs a model: Agent-0 when {@code nameOrPath} is null, and
     * Agent-0 is fetched first if absent whether named or implied (the README's first command
     * names it). Any other model resolves as {@link #resolve} does.
     */
    static Path resolveAgent0Fetching(String nameOrPath, PrintWriter progress) throws InterruptedException {
        if (nameOrPath == null || nameOrPath.equals(InspectCommand.DEFAULT_MODEL)) {
            return resolveFetching(InspectCommand.DEFAULT_MODEL, progress);
        }
        return resolve(nameOrPath);
    }

    static int read(Path path, Work work) {
        try (GgufFile gguf = GgufFile.open(path)) {
            return work.apply(path, gguf);
        } catch (GgufFormatException | UnsupportedModelException | IOException e) {
            throw failure(path, e);
        }
    }

    /**
     * Loads the model into the native engine, {@code threads} per session (0: all cores). The
     * same failures as {@link #read}, plus a well-formed file this engine cannot run.
     */
    static LocalModel load(Path path, int threads) {
        try {
            return LocalModel.load(path, threads);
        } catch (GgufFormatException | UnsupportedModelException | IOException e) {
            throw failure(path, e);
        }
    }

    private static CliException failure(Path path, Exception e) {
        if (e instanceof GgufFormatException) {
            return new CliException(CliException.BAD_FILE, path + ": malformed GGUF file: " + e.getMessage());
        }
        if (e instanceof UnsupportedModelException) {
            return new CliException(CliException.BAD_FILE, path + ": " + e.getMessage());
        }
        // NoSuchFile and AccessDenied carry only the path as their message; the class says what happened.
        String why = path.toString().equals(e.getMessage()) ? e.getClass().getSimpleName() : e.getMessage();
        return new CliException(CliException.BAD_FILE, "cannot read " + path + ": " + why);
    }
}
