package io.agentcouncil.generation;

import io.agentcouncil.engine.LanguageModel;
import io.agentcouncil.template.ChatMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A chat with a history: each {@link #send} renders the whole conversation through the chat
 * template and generates the assistant's reply, and the generator's prefix reuse means only the
 * new turn is evaluated. One thread at a time; closing it closes the session.
 *
 * <pre>{@code
 * try (Conversation chat = Conversation.open(model, 2048)) {
 *     chat.send("What is 2+2?", GenerationConfig.defaults());
 *     GenerationResult r = chat.send("And times 3?", GenerationConfig.defaults(),
 *             (token, text) -> System.out.print(text), CancellationToken.none());
 * }
 * }</pre>
 */
public final class Conversation implements AutoCloseable {

    private final Generator generator;
    private final List<ChatMessage> messages = new ArrayList<>();

    public Conversation(Generator generator) {
        this.generator = Objects.requireNonNull(generator, "generator");
    }

    /** A conversation on a new session of {@code model}, with the model's chat template. */
    public static Conversation open(LanguageModel model, int contextLength) {
        return new Conversation(Generator.open(model, contextLength));
    }

    /** Sets the system prompt: the first message. Only before the first {@link #send}. */
    public Conversation system(String prompt) {
        if (!messages.isEmpty()) {
            throw new IllegalStateException("the system prompt comes first: set it before sending");
        }
        messages.add(ChatMessage.system(prompt));
        return this;
    }

    public GenerationResult send(String userText, GenerationConfig config) {
        return send(userText, config, TokenListener.NONE, CancellationToken.none());
    }

    /**
     * Adds the user's message, generates the reply and adds it to the history (also when
     * cancelled or cut short: the history holds what the user was shown).
     */
    public GenerationResult send(String userText, GenerationConfig config, TokenListener listener,
            CancellationToken cancel) {
        List<ChatMessage> next = new ArrayList<>(messages);
        next.add(ChatMessage.user(userText));
        GenerationResult result = generator.chat(next, config, listener, cancel);
        messages.add(next.get(next.size() - 1));
        messages.add(ChatMessage.assistant(result.text()));
        return result;
    }

    /** The history so far, oldest first. */
    public List<ChatMessage> messages() {
        return List.copyOf(messages);
    }

    public Generator generator() {
        return generator;
    }

    @Override
    public void close() {
        generator.close();
    }
}
