package io.agentcouncil.template;

import com.hubspot.jinjava.tree.Node;
import io.agentcouncil.gguf.GgufFormatException;
import io.agentcouncil.gguf.GgufMetadata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model's chat template: the Jinja program in {@code tokenizer.chat_template} that turns a
 * conversation into the prompt text the model was trained on. Rendering matches Hugging Face
 * transformers' {@code apply_chat_template} (jinja2 with trim_blocks and lstrip_blocks, the
 * variables {@code messages}, {@code add_generation_prompt}, {@code bos_token} and
 * {@code eos_token}, and the globals {@code raise_exception} and {@code strftime_now}).
 *
 * <p>The template is parsed and checked once, when the instance is made; instances are immutable
 * and {@link #render} is safe to call from many threads at once.
 *
 * <p>The engine is Jinjava, adapted to jinja2 where chat templates need it. Known differences:
 * {@code none} and undefined are one value, so {@code x is none} holds for an undefined
 * {@code x}, {@code none.attr} fails as {@code undefined.attr} does, and {@code none} prints as
 * nothing rather than {@code None}; {@code ==} between values of different types follows
 * Jinjava's coercion ({@code 'a' != true} is false), and comparisons do not chain. Loop filters
 * ({@code for x in xs if c}), {@code for ... else}, escapes in string literals other than those
 * for newline, tab, backslash and quotes, and a few rarely used filters are not supported: they
 * fail with a {@link ChatTemplateException}, mostly when the template is loaded, rather than
 * render differently.
 */
public final class ChatTemplate {

    private static final String TEMPLATE_KEY = "tokenizer.chat_template";
    private static final String TOKENS_KEY = "tokenizer.ggml.tokens";

    private final String source;
    private final String bosToken;
    private final String eosToken;
    private final Node tree;

    private ChatTemplate(String source, String bosToken, String eosToken) {
        this.source = source;
        this.bosToken = bosToken;
        this.eosToken = eosToken;
        this.tree = JinjaEngine.INSTANCE.parse(source);
    }

    /**
     * The template of a GGUF model, with its BOS and EOS token texts
     * ({@code tokenizer.ggml.tokens[tokenizer.ggml.bos_token_id]}, likewise for EOS; empty when the
     * model declares none).
     *
     * @throws ChatTemplateException if the model has no chat template or it does not parse
     * @throws GgufFormatException if a token id points outside the vocabulary
     */
    public static ChatTemplate fromGguf(GgufMetadata metadata) {
        if (!metadata.has(TEMPLATE_KEY)) {
            String name = metadata.getString("general.name", "this model");
            throw new ChatTemplateException(name + " has no chat template (GGUF metadata key " + TEMPLATE_KEY
                    + " is missing); give one with ChatTemplate.of(...)");
        }
        return new ChatTemplate(metadata.getString(TEMPLATE_KEY),
                tokenText(metadata, "tokenizer.ggml.bos_token_id"),
                tokenText(metadata, "tokenizer.ggml.eos_token_id"));
    }

    /**
     * A template given as text.
     *
     * @param bosToken the text of the BOS token, {@code ""} if none
     * @param eosToken the text of the EOS token, {@code ""} if none
     * @throws ChatTemplateException if the template does not parse
     */
    public static ChatTemplate of(String template, String bosToken, String eosToken) {
        return new ChatTemplate(Objects.requireNonNull(template, "template"),
                Objects.requireNonNull(bosToken, "bosToken"), Objects.requireNonNull(eosToken, "eosToken"));
    }

    /**
     * The prompt text for {@code messages}.
     *
     * @param addGenerationPrompt end with the opening of an assistant turn, for the model to continue
     * @throws ChatTemplateException if rendering fails, including when the template rejects the
     *     conversation with {@code raise_exception} (the message carries the template's own text)
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        Objects.requireNonNull(messages, "messages");
        List<Map<String, Object>> turns = new ArrayList<>(messages.size());
        for (ChatMessage message : messages) {
            // A dict per turn as in transformers, in the same key order (it shows in tojson).
            Map<String, Object> turn = new LinkedHashMap<>();
            turn.put("role", message.role());
            turn.put("content", message.content());
            turns.add(turn);
        }
        Map<String, Object> variables = new HashMap<>();
        variables.put("messages", turns);
        variables.put("add_generation_prompt", addGenerationPrompt);
        variables.put("bos_token", bosToken);
        variables.put("eos_token", eosToken);
        return JinjaEngine.INSTANCE.render(tree, variables);
    }

    /** The template's Jinja source, as read. */
    public String source() {
        return source;
    }

    /** The text {@code bos_token} renders as. */
    public String bosToken() {
        return bosToken;
    }

    /** The text {@code eos_token} renders as. */
    public String eosToken() {
        return eosToken;
    }

    private static String tokenText(GgufMetadata metadata, String idKey) {
        if (!metadata.has(idKey) || !metadata.has(TOKENS_KEY)) {
            return "";
        }
        long id = metadata.getLong(idKey);
        String[] tokens = metadata.getStringArray(TOKENS_KEY);
        if (id < 0 || id >= tokens.length) {
            throw new GgufFormatException("metadata[\"" + idKey + "\"]", -1,
                    "token id " + id + " is outside the vocabulary of " + tokens.length + " tokens");
        }
        return tokens[(int) id];
    }
}
