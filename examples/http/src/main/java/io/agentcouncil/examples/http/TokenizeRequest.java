package io.agentcouncil.examples.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.Locale;

/** The body of {@code POST /v1/tokenize}: {@code {"model": "<roster name>", "text": "..."}}. */
record TokenizeRequest(String model, String text) {

    /**
     * Parses and checks {@code body}; other fields are ignored, as OpenAI-style servers do.
     *
     * @throws ApiError 400 naming what is wrong, without quoting the parser's message (it can
     *     repeat long stretches of the input)
     */
    static TokenizeRequest parse(byte[] body, ObjectMapper json) {
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
            throw ApiError.badRequest("request body is empty; expected {\"model\": \"<name>\", \"text\": \"...\"}");
        }
        if (!root.isObject()) {
            throw ApiError.badRequest("request body must be a JSON object, not " + kind(root));
        }
        return new TokenizeRequest(requiredString(root, "model"), requiredString(root, "text"));
    }

    private static String requiredString(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null) {
            throw ApiError.badRequest("\"" + field + "\" is required");
        }
        if (!value.isTextual()) {
            throw ApiError.badRequest("\"" + field + "\" must be a string, not " + kind(value));
        }
        return value.textValue();
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
