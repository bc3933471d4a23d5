package io.agentcouncil.examples.http;

import io.javalin.http.Context;

import java.io.IOException;

/** Reads a request body with a hard size limit. */
final class RequestBody {

    private RequestBody() {}

    /**
     * The body's bytes, refused with 413 past {@code limit}. Javalin's own limit only checks the
     * Content-Length header, so a chunked body would be read whole; this stops reading one byte
     * past the limit whatever the framing.
     */
    static byte[] read(Context ctx, int limit) throws IOException {
        if (ctx.req().getContentLengthLong() > limit) {
            throw tooLarge(limit);
        }
        byte[] body = ctx.req().getInputStream().readNBytes(limit + 1);
        if (body.length > limit) {
            throw tooLarge(limit);
        }
        return body;
    }

    private static ApiError tooLarge(int limit) {
        return new ApiError(413, "request body is larger than the limit of " + limit + " bytes");
    }
}
