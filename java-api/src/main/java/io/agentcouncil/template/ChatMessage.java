package io.agentcouncil.template;

import java.util.Objects;

/**
 * One turn of a conversation as a chat template sees it: {@code message.role} and
 * {@code message.content}. Roles are free text because templates define which ones they accept
 * (most know {@code system}, {@code user} and {@code assistant}).
 */
public record ChatMessage(String role, String content) {

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content);
    }
}
