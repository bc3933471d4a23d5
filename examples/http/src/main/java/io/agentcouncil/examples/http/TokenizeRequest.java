package io.agentcouncil.examples.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The body of {@code POST /v1/tokenize}: {@code {"model": "<roster name>", "text": "..."}}. */
record TokenizeRequest(String model, String text) {

    /** Parses and checks {@code body}. @throws ApiError 400 naming what is wrong */
    static TokenizeRequest parse(byte[] body, ObjectMapper json) {
        JsonNode root = RequestJson.object(body, json);
        return new TokenizeRequest(RequestJson.text(root, "model"), RequestJson.text(root, "text"));
    }
}
