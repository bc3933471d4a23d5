package io.agentcouncil.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentcouncil.tokenizer.TokenType;
import io.agentcouncil.tokenizer.Tokenizer;
import io.agentcouncil.tokenizer.Vocabulary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code agentcouncil tokenize MODEL TEXT [--json] [--special] [--bos]}: text to token ids with the model's tokenizer. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Split TEXT into the model's tokens and show each id with its piece. Pieces are quoted with "
                + "escapes (\\n, \\t, \\u00A0); bytes that are only part of a UTF-8 character show as <0xE2>.")
final class TokenizeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A roster name (see 'agentcouncil models') or a path to a GGUF file.")
    String model;

    @Parameters(index = "1", paramLabel = "TEXT", description = "The text to tokenize, or - to read it from standard input (taken as is, final newline included).")
    String text;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Option(names = "--special", description = "Match special-token texts such as <|im_start|> in TEXT as single tokens, "
            + "as for a rendered chat template. Without it they are tokenized as plain text, as user input must be.")
    boolean special;

    @Option(names = "--bos", description = "Prepend the model's BOS token, as at the start of a prompt.")
    boolean bos;

    @Override
    public Integer call() throws IOException {
        String input = "-".equals(text) ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : text;
        Path path = ModelFiles.resolve(model);
        return ModelFiles.read(path, (p, gguf) -> {
            Tokenizer tokenizer = Tokenizer.fromGguf(gguf.metadata());
            int[] ids = encode(tokenizer, input, p);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Json.print(out, toJson(p, input, tokenizer, ids));
            } else {
                printText(out, tokenizer, ids);
            }
            return 0;
        });
    }

    private int[] encode(Tokenizer tokenizer, String input, Path path) {
        int[] ids = tokenizer.encode(input, false, special);
        if (!bos) {
            return ids;
        }
        int bosId = tokenizer.vocabulary().bos();
        if (bosId == Vocabulary.NONE) {
            throw new CliException(CliException.USAGE, path + " has no BOS token; drop --bos");
        }
        int[] withBos = new int[ids.length + 1];
        withBos[0] = bosId;
        System.arraycopy(ids, 0, withBos, 1, ids.length);
        return withBos;
    }

    private ObjectNode toJson(Path path, String input, Tokenizer tokenizer, int[] ids) {
        ObjectNode doc = Json.object();
        doc.put("model", path.toString());
        doc.put("text", input);
        doc.put("special", special);
        doc.put("bos", bos);
        doc.put("count", ids.length);
        ArrayNode idArray = doc.putArray("ids");
        Arrays.stream(ids).forEach(idArray::add);
        ArrayNode tokens = doc.putArray("tokens");
        for (int id : ids) {
            byte[] piece = tokenizer.piece(id, true);
            tokens.addObject()
                    .put("id", id)
                    .put("piece", VisiblePiece.of(piece))
                    .put("hex", VisiblePiece.hex(piece))
                    .put("type", tokenizer.vocabulary().type(id).name());
        }
        return doc;
    }

    private static void printText(PrintWriter out, Tokenizer tokenizer, int[] ids) {
        int width = Math.max(2, Integer.toString(tokenizer.vocabulary().size() - 1).length());
        for (int id : ids) {
            TokenType type = tokenizer.vocabulary().type(id);
            // Control tokens render as their text here, so that "<|im_start|>" is seen rather than "".
            String line = String.format("%" + width + "d  \"%s\"", id, VisiblePiece.of(tokenizer.piece(id, true)));
            out.println(type == TokenType.NORMAL ? line : line + "  " + type.name().toLowerCase(Locale.ROOT));
        }
        out.println(ids.length + (ids.length == 1 ? " token: " : " tokens: ") + Arrays.toString(ids));
        out.flush();
    }
}
