package io.agentcouncil.cloud;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CloudFallbackBuilderTest {

    private static CloudFallback.Builder valid() {
        return CloudFallback.builder()
                .baseUrl("http://127.0.0.1:9")
                .model("gpt-4o-mini")
                .pricePerInputToken(0.15e-6)
                .pricePerOutputToken(0.60e-6)
                .ledger(Path.of("target", "never-written.json"));
    }

    @Test
    void everyBadFieldIsReportedAtOnce() {
        CloudFallback.Builder b = CloudFallback.builder()
                .baseUrl("ftp://example.com")
                .pricePerInputToken(-1)
                .pricePerOutputToken(Double.NaN)
                .dailyBudgetUsd(-1)
                .zone(null)
                .timeout(Duration.ZERO)
                .maxRetries(-1);
        List<String> expected = List.of(
                "cloud.baseUrl: must be an http or https URL, got ftp://example.com",
                "cloud.model: missing",
                "cloud.pricePerInputToken: must be >= 0 and finite, got -1.0",
                "cloud.pricePerOutputToken: must be >= 0 and finite, got NaN",
                "cloud.dailyBudgetUsd: must be >= 0 and finite, got -1.0",
                "cloud.zone: missing",
                "cloud.ledger: missing",
                "cloud.timeout: must be > 0, got PT0S",
                "cloud.maxRetries: must be between 0 and 10, got -1");
        assertEquals(expected, b.problems());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        for (String problem : expected) {
            assertTrue(e.getMessage().contains(problem), e.getMessage());
        }
    }

    @Test
    void missingRequiredFieldsAreNamed() {
        assertEquals(List.of("cloud.baseUrl: missing", "cloud.model: missing", "cloud.pricePerInputToken: missing",
                "cloud.pricePerOutputToken: missing", "cloud.ledger: missing"), CloudFallback.builder().problems());
    }

    @Test
    void aValidConfigurationBuildsWithTheDefaults() {
        assertEquals(List.of(), valid().problems());
        try (CloudFallback cloud = valid().build()) {
            assertEquals(0.50, cloud.dailyBudgetUsd());
            assertEquals("gpt-4o-mini", cloud.model());
        }
        try (CloudFallback cloud = valid().baseUrl(URI.create("https://api.example.com/")).dailyBudgetUsd(0).build()) {
            assertEquals(0.0, cloud.dailyBudgetUsd());
        }
    }

    @Test
    void baseUrlMustBeTheServerRoot() {
        assertEquals(List.of("cloud.baseUrl: give the server root without /v1 (/v1/chat/completions is appended), got https://api.openai.com/v1"),
                valid().baseUrl("https://api.openai.com/v1").problems());
        assertEquals(List.of("cloud.baseUrl: has no host: http:///x"), valid().baseUrl("http:///x").problems());
        assertTrue(valid().baseUrl("http://a b").problems().get(0).startsWith("cloud.baseUrl: not a URI: "));
        assertEquals(List.of("cloud.baseUrl: must have no query or fragment, got http://h/?a=1"),
                valid().baseUrl("http://h/?a=1").problems());
    }

    @Test
    void theApiKeyVariableMustBeSetAndItsValueNeverShown() {
        assertEquals(List.of("cloud.apiKeyEnv: environment variable CLOUD_KEY is not set"),
                valid().apiKeyEnv("CLOUD_KEY").environment(Map.<String, String>of()::get).problems());
        assertEquals(List.of(), valid().apiKeyEnv("CLOUD_KEY").environment(Map.of("CLOUD_KEY", "sk-1")::get).problems());
        List<String> bad = valid().apiKeyEnv("CLOUD_KEY").environment(Map.of("CLOUD_KEY", "sk-se\ncret")::get).problems();
        assertEquals(List.of("cloud.apiKeyEnv: environment variable CLOUD_KEY holds characters an HTTP header cannot carry"), bad);
        assertFalse(bad.get(0).contains("cret"));
        assertEquals(List.of("cloud.apiKeyEnv: blank variable name"), valid().apiKeyEnv(" ").problems());
    }

    @Test
    void durationsAndRetriesAreChecked() {
        assertEquals(List.of("cloud.connectTimeout: must be > 0, got PT-1S", "cloud.maxRetries: must be between 0 and 10, got 11",
                        "cloud.retryBackoff: must be >= 0, got null", "cloud.clock: missing"),
                valid().connectTimeout(Duration.ofSeconds(-1)).maxRetries(11).retryBackoff(null).clock(null).problems());
    }
}
