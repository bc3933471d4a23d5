package io.agentcouncil.cloud;

import io.agentcouncil.template.ChatMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spend ledger on disk: what survives a restart, and what an unreadable file does. */
class SpendLedgerTest {
    private static final ZoneId ZONE = ZoneId.of("Europe/Paris");
    private static final Clock DEC_2 = Clock.fixed(Instant.parse("2026-12-02T12:00:00Z"), ZONE);
    private static final List<ChatMessage> MESSAGES = List.of(ChatMessage.user("Hi"));

    @TempDir
    Path dir;

    private CloudFallback fallback(StubServer server, Path ledger) {
        return CloudFallback.builder()
                .baseUrl(server.baseUrl())
                .model("stub")
                .pricePerInputToken(1e-6)
                .pricePerOutputToken(2e-6)
                .zone(ZONE)
                .clock(DEC_2)
                .ledger(ledger)
                .build();
    }

    private static StubServer okServer() throws Exception {
        return StubServer.start((n, req) -> StubServer.Response.of(200, StubServer.completion("Hello.", 12, 3)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"version\":1,\"day\":\"2026-12-02\",\"spentUsd\":0.1         | not JSON",
            "''                                                              | the file is empty",
            "[]                                                              | not a JSON object",
            "{\"version\":1,\"day\":\"2026-12-02\",\"spentUsd\":0.1,\"reservedUsd\":0} {} | not JSON",
            "{\"version\":2,\"day\":\"2026-12-02\",\"spentUsd\":0.1,\"reservedUsd\":0} | \"version\" must be 1",
            "{\"version\":1,\"day\":\"2 Dec\",\"spentUsd\":0.1,\"reservedUsd\":0}      | \"day\" must be a date",
            "{\"version\":1,\"day\":\"2026-12-02\",\"spentUsd\":-0.1,\"reservedUsd\":0} | \"spentUsd\" must be a number >= 0",
            "{\"version\":1,\"day\":\"2026-12-02\",\"spentUsd\":\"0.1\",\"reservedUsd\":0} | \"spentUsd\" must be a number >= 0",
            "{\"version\":1,\"day\":\"2026-12-02\",\"spentUsd\":0.1}                  | \"reservedUsd\" must be a number >= 0",
            "{\"version\":1,\"day\":\"2026-12-02\",\"spentUsd\":0.1,\"reservedUsd\":0,\"x\":1} | unexpected field \"x\"",
    })
    void anUnreadableLedgerRefusesCloudCallsAndIsLeftAsItWas(String content, String problem) throws Exception {
        Path ledger = dir.resolve("spend.json");
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Files.write(ledger, bytes);
        FileTime modified = FileTime.from(Instant.parse("2026-01-01T00:00:00Z"));
        Files.setLastModifiedTime(ledger, modified);
        try (StubServer server = okServer(); CloudFallback cloud = fallback(server, ledger)) {
            CloudResult r = cloud.complete(MESSAGES, 8);
            assertEquals(CloudResult.Status.FAILED, r.status(), r.detail());
            assertTrue(r.detail().contains("spend ledger " + ledger + " is unreadable"), r.detail());
            assertTrue(r.detail().contains(problem), r.detail());
            assertTrue(r.detail().contains("cloud calls are refused until it is fixed or deleted"), r.detail());
            assertEquals(0, server.requests(), "no request without a readable ledger");

            SpendLedgerException e = assertThrows(SpendLedgerException.class, cloud::spentTodayUsd);
            assertEquals(ledger, e.ledger());
            assertTrue(e.getMessage().contains(problem), e.getMessage());
        }
        assertArrayEquals(bytes, Files.readAllBytes(ledger), "the ledger was changed");
        assertEquals(modified, Files.getLastModifiedTime(ledger));
    }

    @Test
    void aLedgerThatCannotBeReadAtAllIsAFailureToo() throws Exception {
        Path ledger = dir.resolve("spend.json");
        Files.createDirectory(ledger); // reading a folder fails with an I/O error
        try (StubServer server = okServer(); CloudFallback cloud = fallback(server, ledger)) {
            CloudResult r = cloud.complete(MESSAGES, 8);
            assertEquals(CloudResult.Status.FAILED, r.status(), r.detail());
            assertTrue(r.detail().contains("spend ledger " + ledger + ": cannot read it"), r.detail());
            assertEquals(0, server.requests());
            assertInstanceOf(SpendLedgerException.class, assertThrows(RuntimeException.class, cloud::spentTodayUsd));
        }
    }

    @Test
    void spendSurvivesARestartAndWritesLeaveNoTemporaryFiles() throws Exception {
        Path ledger = dir.resolve("nested").resolve("spend.json");
        double expected = 2 * (12 * 1e-6 + 3 * 2e-6);
        try (StubServer server = okServer()) {
            try (CloudFallback cloud = fallback(server, ledger)) {
                assertEquals(0.0, cloud.spentTodayUsd());
                assertEquals(CloudResult.Status.OK, cloud.complete(MESSAGES, 8).status());
                assertEquals(CloudResult.Status.OK, cloud.complete(MESSAGES, 8).status());
                assertEquals(expected, cloud.spentTodayUsd(), 1e-15);
            }
            try (CloudFallback restarted = fallback(server, ledger)) {
                assertEquals(expected, restarted.spentTodayUsd(), 1e-15);
            }
        }
        assertEquals("{\"version\":1,\"day\":\"2026-12-02\",\"spentUsd\":0.000036,\"reservedUsd\":0}\n",
                Files.readString(ledger));
        try (Stream<Path> files = Files.list(ledger.getParent())) {
            assertEquals(List.of("spend.json", "spend.json.lock"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void aReservationSettledAfterItsDayEndedDoesNotTouchTheNewDay() {
        Path ledger = dir.resolve("spend.json");
        Instant[] now = {Instant.parse("2026-12-02T22:59:00Z")}; // 23:59 in Paris
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZONE;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        SpendLedger l = new SpendLedger(ledger, ZONE, clock, new BigDecimal("1"));
        SpendLedger.Reservation r = assertInstanceOf(SpendLedger.Reservation.class, l.reserve(new BigDecimal("0.4")));
        assertEquals(LocalDate.of(2026, 12, 2), r.day());
        assertTotals(r.day(), "0", "0.4", l.today());
        now[0] = Instant.parse("2026-12-02T23:01:00Z"); // 00:01 on 3 December
        assertTotals(LocalDate.of(2026, 12, 3), "0", "0", l.today());
        SpendLedger.Reservation next = assertInstanceOf(SpendLedger.Reservation.class, l.reserve(new BigDecimal("0.9")));
        l.settle(r, new BigDecimal("0.3"));
        assertTotals(next.day(), "0", "0.9", l.today());
        SpendLedger.Refusal refusal = assertInstanceOf(SpendLedger.Refusal.class, l.reserve(new BigDecimal("0.2")));
        assertTotals(next.day(), "0", "0.9", refusal.totals());
        l.settle(next, new BigDecimal("0.25"));
        assertTotals(next.day(), "0.25", "0", l.today());
    }

    private static void assertTotals(LocalDate day, String spent, String reserved, SpendLedger.DayTotals actual) {
        assertEquals(day, actual.day(), actual.toString());
        assertEquals(0, new BigDecimal(spent).compareTo(actual.spentUsd()), actual.toString());
        assertEquals(0, new BigDecimal(reserved).compareTo(actual.reservedUsd()), actual.toString());
    }
}
