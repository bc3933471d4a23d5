package io.agentcouncil.examples.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Locale;

/**
 * Request bodies as JSON objects, refused with a 400 that names what is wrong, without quoting
 * the parser's message (it can repeat long stretches of the input). Unknown fields are ignored,
 * as OpenAI-style servers do.
 */
final class RequestJson {

    private RequestJson() {}

    /** The request's body, at most {@code limit} bytes (413 beyond), as a JSON object. */
    static JsonNode object(Context ctx, ObjectMapper json, int limit) throws IOException {
        return object(RequestBody.read(ctx, limit), json);
    }

    static JsonNode object(byte[] body, ObjectMapper json) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw ApiError.badRequest("request body is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw new IllegalStateException("reading JSON from a byte array cannot do I/O", e);
        }
        if (root == null || root.isMissingNode()) {
            throw ApiError.badRequest("request body is empty; expected a JSON object");
        }
        if (!root.isObject()) {
            throw ApiError.badRequest("request body must be a JSON object, not " + kind(root));
        }
        return root;
    }

    /** The string {@code field} of {@code node}, required. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null) {
            throw ApiError.badRequest("\"" + field + "\" is required");
        }
        if (!value.isTextual()) {
            throw ApiError.badRequest("\"" + field + "\" must be a string, not " + kind(value));
        }
        return value.textValue();
    }

    /** The string {@code field} of {@code node}, or null when absent or JSON null. */
    static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiError.badRequest("\"" + field + "\" must be a string, not " + kind(value));
        }
        return value.textValue();
    }

    static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
