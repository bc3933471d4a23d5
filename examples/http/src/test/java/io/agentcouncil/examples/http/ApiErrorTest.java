package io.agentcouncil.examples.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ApiErrorTest {

    @Test
    void shortInputIsQuotedWhole() {
        assertEquals("\"gpt-4o\"", ApiError.quote("gpt-4o"));
    }

    @Test
    void longInputIsCutAndSaysHowLongItWas() {
        String input = "a".repeat(ApiError.MAX_QUOTED_CHARS) + "b";
        assertEquals("\"" + "a".repeat(ApiError.MAX_QUOTED_CHARS) + "\"… (101 characters)", ApiError.quote(input));
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String input = "a".repeat(ApiError.MAX_QUOTED_CHARS - 1) + "👋" + "tail";
        assertEquals("\"" + "a".repeat(ApiError.MAX_QUOTED_CHARS - 1) + "\"… (105 characters)", ApiError.quote(input));
    }
}
