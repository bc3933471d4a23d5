package io.agentcouncil.examples.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A Server-Sent Events response written by hand, so that GET and POST share one path and each
 * event is flushed as it is made. A client that went away makes later writes no-ops: the turn
 * goes on and is remembered, only nobody reads it.
 */
final class SseStream {
    private final OutputStream out;
    private final ObjectMapper json;
    private volatile boolean gone;

    SseStream(Context ctx, ObjectMapper json) throws IOException {
        this.json = json;
        ctx.status(200);
        ctx.res().setContentType("text/event-stream;charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no"); // proxies must not hold the stream back
        out = ctx.res().getOutputStream();
        ctx.res().flushBuffer();
    }

    /** {@code event: name} with {@code data} as JSON. */
    void event(String name, Object data) {
        write("event: " + name + "\ndata: " + toJson(data) + "\n\n");
    }

    /** An unnamed event: {@code data: text} (OpenAI's stream). */
    void data(String text) {
        write("data: " + text + "\n\n");
    }

    String toJson(Object data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void write(String frame) {
        if (gone) {
            return;
        }
        try {
            out.write(frame.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            gone = true;
        }
    }
}
