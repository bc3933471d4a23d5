package io.agentcouncil.tokenizer;

/** Token kinds as stored in {@code tokenizer.ggml.token_type}, numbered as in llama.cpp. */
public enum TokenType {
    UNDEFINED, NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE;

    private static final TokenType[] BY_ID = values();

    static TokenType byId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : UNDEFINED;
    }
}
