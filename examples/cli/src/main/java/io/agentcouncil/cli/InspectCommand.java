package io.agentcouncil.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentcouncil.cli.ModelReport.SpecialToken;
import io.agentcouncil.cli.ModelReport.TypeUsage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code agentcouncil inspect [MODEL] [--json] [--template]}: what a GGUF file holds. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Show a GGUF model's metadata: architecture, size, quantization, hyper-parameters, "
                + "tokenizer and chat template.",
                "Without MODEL, inspects Agent-0 (" + InspectCommand.DEFAULT_MODEL + "), fetching it first if needed."})
final class InspectCommand implements Callable<Integer> {
    static final String DEFAULT_MODEL = "smollm2-135m-instruct";
    private static final int TEMPLATE_EXCERPT_LINES = 6;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", arity = "0..1", description = "A roster name (see 'agentcouncil models') or a path to a GGUF file.")
    String model;

    @Option(names = "--json", description = "Print JSON (with the full chat template).")
    boolean json;

    @Option(names = "--template", description = "Print the whole chat template, not its first lines.")
    boolean fullTemplate;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        // Only the default model is fetched on demand: it is the README's first command. Naming a
        // model is a deliberate choice, and a missing one is reported with the command to fetch it.
        Path path = model == null
                ? ModelFiles.resolveFetching(DEFAULT_MODEL, spec.commandLine().getErr())
                : ModelFiles.resolve(model);
        return ModelFiles.read(path, (p, gguf) -> {
            ModelReport r = ModelReport.of(p, gguf);
            if (json) {
                Json.print(out, toJson(r));
            } else {
                printText(out, r);
            }
            return 0;
        });
    }

    private static ObjectNode toJson(ModelReport r) {
        ObjectNode doc = Json.object();
        doc.put("file", r.file().toString());
        doc.put("size", r.size());
        doc.put("gguf_version", r.ggufVersion());
        doc.put("name", r.name());
        doc.put("architecture", r.architecture());
        doc.put("parameters", r.parameters());
        doc.put("parameters_human", Units.count(r.parameters()));
        if (r.fileType() == null) {
            doc.putNull("file_type");
        } else {
            doc.putObject("file_type").put("id", r.fileType()).put("name", FileTypes.name(r.fileType()));
        }
        doc.put("tensor_count", r.tensorCount());
        var types = doc.putArray("tensor_types");
        for (TypeUsage u : r.tensorTypes()) {
            types.addObject().put("type", u.type().name()).put("tensors", u.tensors()).put("bytes", u.bytes());
        }
        doc.put("context_length", r.contextLength());
        doc.put("embedding_length", r.embeddingLength());
        doc.put("block_count", r.blockCount());
        doc.put("head_count", r.headCount());
        doc.put("head_count_kv", r.headCountKv());
        doc.put("vocab_size", r.vocabSize());
        ObjectNode tok = doc.putObject("tokenizer");
        tok.put("model", r.tokenizerModel());
        tok.put("pre", r.tokenizerPre());
        tok.put("supported", r.tokenizerProblem() == null);
        if (r.tokenizerProblem() != null) {
            tok.put("problem", r.tokenizerProblem());
        }
        putToken(tok, "bos", r.bos());
        putToken(tok, "eos", r.eos());
        putToken(tok, "eot", r.eot());
        doc.put("chat_template", r.chatTemplate());
        return doc;
    }

    private static void putToken(ObjectNode parent, String key, SpecialToken t) {
        if (t == null) {
            parent.putNull(key);
        } else {
            parent.putObject(key).put("id", t.id()).put("text", t.text());
        }
    }

    private void printText(PrintWriter out, ModelReport r) {
        row(out, "file", r.file().toString());
        row(out, "size", Units.bytes(r.size()) + " (" + Units.grouped(r.size()) + " bytes)");
        row(out, "gguf version", Integer.toString(r.ggufVersion()));
        row(out, "name", r.name());
        row(out, "architecture", r.architecture());
        row(out, "parameters", Units.count(r.parameters()) + " (" + Units.grouped(r.parameters()) + ")");
        row(out, "file type", r.fileType() == null ? null : FileTypes.name(r.fileType()) + " (" + r.fileType() + ")");
        String label = "tensors";
        for (TypeUsage u : r.tensorTypes()) {
            row(out, label, String.format("%-7s %4d %-7s  %10s", u.type(), u.tensors(), u.tensors() == 1 ? "tensor" : "tensors",
                    Units.bytes(u.bytes())));
            label = "";
        }
        row(out, "", String.format("%-7s %4d tensors", "total", r.tensorCount()));
        row(out, "context length", str(r.contextLength()));
        row(out, "embedding length", str(r.embeddingLength()));
        row(out, "blocks", str(r.blockCount()));
        row(out, "heads / kv heads", str(r.headCount()) + " / " + str(r.headCountKv()));
        row(out, "vocabulary", str(r.vocabSize()));
        String tokenizer = r.tokenizerModel() + (r.tokenizerPre() == null ? "" : " (pre " + r.tokenizerPre() + ")");
        row(out, "tokenizer", r.tokenizerProblem() == null ? tokenizer : tokenizer + ", not supported: " + r.tokenizerProblem());
        row(out, "bos / eos / eot", token(r.bos()) + " / " + token(r.eos()) + " / " + token(r.eot()));
        printTemplate(out, r.chatTemplate());
        out.flush();
    }

    private void printTemplate(PrintWriter out, String template) {
        if (template == null) {
            row(out, "chat template", null);
            return;
        }
        String[] lines = template.split("\n", -1);
        int shown = fullTemplate ? lines.length : Math.min(lines.length, TEMPLATE_EXCERPT_LINES);
        row(out, "chat template", lines.length + (lines.length == 1 ? " line, " : " lines, ") + template.length() + " characters");
        for (int i = 0; i < shown; i++) {
            out.println("  | " + lines[i]);
        }
        if (shown < lines.length) {
            out.println("  | … " + (lines.length - shown) + " more lines (--template shows all)");
        }
    }

    private static void row(PrintWriter out, String label, String value) {
        out.printf("%-18s%s%n", label, value == null ? "(not recorded)" : value);
    }

    private static String str(Object o) {
        return o == null ? "-" : o.toString();
    }

    private static String token(SpecialToken t) {
        return t == null ? "-" : t.id() + " " + t.text();
    }
}
