package io.agentcouncil.tokenizer;

import io.agentcouncil.UnsupportedModelException;
import io.agentcouncil.gguf.GgufMetadata;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Text to token ids and back, built from a model's GGUF metadata and matching llama.cpp's
 * tokenizer on the same file id for id. Immutable and thread-safe: one instance serves every
 * conversation of a model.
 */
public abstract sealed class Tokenizer permits BpeTokenizer, SpmTokenizer {

    protected final Vocabulary vocab;
    private final SpecialTokenSplitter specials;
    private final AtomicReferenceArray<byte[]> pieces;

    Tokenizer(Vocabulary vocab) {
        this.vocab = vocab;
        this.specials = new SpecialTokenSplitter(vocab);
        this.pieces = new AtomicReferenceArray<>(vocab.size());
    }

    /**
     * The tokenizer that {@code tokenizer.ggml.model} names: {@code gpt2} (byte-level BPE) or
     * {@code llama} (SentencePiece).
     *
     * @throws io.agentcouncil.gguf.GgufFormatException if the tokenizer metadata is malformed
     * @throws UnsupportedModelException for another tokenizer model or an unknown pre-tokenizer
     */
    public static Tokenizer fromGguf(GgufMetadata md) {
        String model = md.getString("tokenizer.ggml.model");
        return switch (model) {
            case "gpt2" -> new BpeTokenizer(md);
            case "llama" -> new SpmTokenizer(md);
            default -> throw new UnsupportedModelException("unsupported tokenizer model \"" + model
                    + "\" (tokenizer.ggml.model); supported: gpt2 (byte-level BPE), llama (SentencePiece)");
        };
    }

    public Vocabulary vocabulary() {
        return vocab;
    }

    /** Plain text to ids: no BOS, and special-token texts in {@code text} are treated as text. */
    public int[] encode(String text) {
        return encode(text, false, false);
    }

    /**
     * @param addSpecial add BOS/EOS where the model asks for them ({@code tokenizer.ggml.add_bos_token})
     * @param parseSpecial match control tokens such as {@code <|im_start|>} in {@code text} as single
     *     tokens; only for trusted text such as a rendered chat template, never for user input
     */
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        IntList out = new IntList(text.length() / 3 + 2);
        if (addSpecial && vocab.addBos() && vocab.bos() != Vocabulary.NONE) {
            out.add(vocab.bos());
        }
        IntList fragments = specials.split(text, parseSpecial);
        boolean afterSpecial = true;
        for (int i = 0; i < fragments.size(); i += 3) {
            int token = fragments.get(i);
            if (token >= 0) {
                out.add(token);
                afterSpecial = true;
            } else {
                encodeText(text, fragments.get(i + 1), fragments.get(i + 2), afterSpecial, out);
                afterSpecial = false;
            }
        }
        if (addSpecial && vocab.addEos() && vocab.eos() != Vocabulary.NONE) {
            out.add(vocab.eos());
        }
        return out.toArray();
    }

    /** Encodes {@code text[from, to)}, which holds no special token, appending ids to {@code out}. */
    abstract void encodeText(String text, int from, int to, boolean afterSpecial, IntList out);

    /** The bytes a token stands for; control tokens are empty unless {@code renderSpecial}. */
    public byte[] piece(int id, boolean renderSpecial) {
        if (id < 0 || id >= vocab.size()) {
            throw new IllegalArgumentException("token id " + id + " outside the vocabulary of " + vocab.size());
        }
        TokenType type = vocab.type(id);
        if (!renderSpecial && (type == TokenType.CONTROL || type == TokenType.UNKNOWN)) {
            return new byte[0];
        }
        byte[] p = pieces.get(id);
        if (p == null) {
            p = switch (type) {
                case CONTROL, UNKNOWN, USER_DEFINED -> vocab.text(id).getBytes(StandardCharsets.UTF_8);
                case NORMAL, BYTE -> normalPiece(id, type);
                default -> new byte[0];
            };
            pieces.lazySet(id, p); // two threads may both compute it; they compute the same bytes
        }
        return p;
    }

    abstract byte[] normalPiece(int id, TokenType type);

    /** The text of {@code ids}; control tokens are left out and broken UTF-8 becomes U+FFFD. */
    public String decode(int[] ids) {
        return decode(ids, false);
    }

    public String decode(int[] ids, boolean renderSpecial) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            out.writeBytes(piece(id, renderSpecial));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A decoder for one generation stream, emitting text only at whole UTF-8 characters. */
    public TokenDecoder streamDecoder(boolean renderSpecial) {
        return new TokenDecoder(this, renderSpecial);
    }
}
