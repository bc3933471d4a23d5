package io.agentcouncil.cli;

import io.agentcouncil.models.ModelRoster;
import io.agentcouncil.models.ModelSpec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Roster models a council needs that are not in the cache yet. All of them are checked before
 * the council starts, specialists included although they load later: a missing specialist found
 * at its first escalation would cost that answer, and the fix is the same one command.
 */
final class MissingModels {
    private MissingModels() {}

    /**
     * Returns once every roster model among {@code models} is fetched: by {@code scripts/fetch-models}
     * when {@code fetch} is set or the user says yes at a terminal; otherwise fails with
     * {@link CliException#MODEL_MISSING} naming the fetch command. Paths are not roster models.
     */
    static void ensure(List<String> models, boolean fetch, PrintWriter err) throws InterruptedException {
        ModelRoster roster = ModelRoster.get();
        List<ModelSpec> missing = models.stream().distinct()
                .flatMap(m -> roster.find(m).stream())
                .filter(spec -> !roster.isFetched(spec))
                .toList();
        if (missing.isEmpty()) {
            return;
        }
        List<String> names = missing.stream().map(ModelSpec::name).toList();
        if (!fetch && !(Terminals.stdin() && Terminals.stderr() && agrees(missing, err))) {
            throw ModelFiles.notFetched(names, " (or add --fetch)");
        }
        int rc = FetchScript.fetch(names, err);
        if (rc != 0) {
            throw new CliException(CliException.BAD_FILE, "fetching " + String.join(", ", names)
                    + " failed (scripts/fetch-models exit " + rc + ")");
        }
    }

    /** Asks on the terminal; anything but yes, or no answer at all, is no. */
    private static boolean agrees(List<ModelSpec> missing, PrintWriter err) {
        long bytes = missing.stream().mapToLong(ModelSpec::size).sum();
        boolean one = missing.size() == 1;
        err.printf(Locale.ROOT, "%s %s not in %s yet. Fetch %s (%s) now? [y/N] ",
                String.join(", ", missing.stream().map(ModelSpec::name).toList()), one ? "is" : "are",
                ModelRoster.get().cacheDir(), one ? "it" : "them", Units.bytes(bytes));
        err.flush();
        String answer = readLine(System.in).strip().toLowerCase(Locale.ROOT);
        return answer.equals("y") || answer.equals("yes");
    }

    /** One line, byte by byte: a buffered reader would swallow what the user types next, which the chat reads. */
    private static String readLine(InputStream in) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            for (int b; (b = in.read()) != -1 && b != '\n'; ) {
                line.write(b);
            }
        } catch (IOException e) {
            return "";
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
