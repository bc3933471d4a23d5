package io.agentcouncil.examples.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code GET /}: a one-file chat page that talks to {@code /chat/stream}. */
final class ChatPage {
    private static final byte[] PAGE = load();

    private ChatPage() {}

    static void serve(Context ctx) {
        ctx.contentType("text/html; charset=utf-8").result(PAGE);
    }

    private static byte[] load() {
        try (InputStream in = ChatPage.class.getResourceAsStream("/chat-page.html")) {
            if (in == null) {
                throw new IllegalStateException("chat-page.html is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
