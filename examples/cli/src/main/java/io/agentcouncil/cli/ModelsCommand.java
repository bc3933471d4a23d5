package io.agentcouncil.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentcouncil.models.ModelRoster;
import io.agentcouncil.models.ModelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code agentcouncil models [--json]} and {@code agentcouncil models --fetch [NAME...]}. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = {"List the model roster (models.json) and which models are in the local cache.",
                "With --fetch, fetch and verify models through scripts/fetch-models: the NAMEs given, "
                        + "or without NAMEs the models marked default."})
final class ModelsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Option(names = "--fetch", description = "Fetch the NAMEd models (default: the default roster) instead of listing.")
    boolean fetch;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Roster names to fetch (only with --fetch).")
    List<String> names = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        if (fetch) {
            if (json) {
                throw new ParameterException(spec.commandLine(), "--fetch prints the fetch log, not JSON: drop --json");
            }
            return FetchScript.run(names, out, spec.commandLine().getErr());
        }
        if (!names.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "model names are only taken with --fetch: " + String.join(" ", names));
        }
        ModelRoster roster = ModelRoster.get();
        if (json) {
            Json.print(out, toJson(roster));
        } else {
            printTable(out, roster);
        }
        return 0;
    }

    private static ObjectNode toJson(ModelRoster roster) {
        ObjectNode doc = Json.object();
        doc.put("cache_dir", roster.cacheDir().toString());
        ArrayNode models = doc.putArray("models");
        for (ModelSpec m : roster.models()) {
            boolean fetched = roster.isFetched(m);
            models.addObject()
                    .put("name", m.name())
                    .put("role", m.role())
                    .put("specialty", m.specialty())
                    .put("architecture", m.architecture())
                    .put("quantization", m.quantization())
                    .put("size", m.size())
                    .put("licence", m.licence())
                    .put("default", m.fetchedByDefault())
                    .put("status", fetched ? "fetched" : "not fetched")
                    .put("path", roster.pathOf(m).toString())
                    .put("description", m.description());
        }
        return doc;
    }

    private static void printTable(PrintWriter out, ModelRoster roster) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "ROLE", "ARCH", "QUANT", "SIZE", "LICENCE", "STATUS"});
        for (ModelSpec m : roster.models()) {
            String role = m.specialty() == null ? m.role() : m.role() + " (" + m.specialty() + ")";
            String status = roster.isFetched(m) ? "fetched " + roster.pathOf(m) : "not fetched";
            rows.add(new String[] {m.name(), role, m.architecture(), m.quantization(), Units.bytes(m.size()), m.licence(), status});
        }
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                // The last column is not padded: it holds long paths and should not leave trailing blanks.
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + (width[i] + 2) + "s", row[i]));
            }
            out.println(line);
        }
        out.println();
        out.println("cache: " + roster.cacheDir() + "  (fetch with: agentcouncil models --fetch [NAME...])");
        out.flush();
    }
}
