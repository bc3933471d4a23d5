package io.agentcouncil.cloud;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The day's cloud spend, kept in a small JSON file so that restarting the process cannot reset it:
 * <pre>{"version":1,"day":"2026-12-02","spentUsd":0.0123,"reservedUsd":0.004}</pre>
 *
 * <p>A call first <em>reserves</em> its worst-case cost and only then goes out; afterwards it
 * <em>settles</em>, swapping the reservation for what it really cost. Reservations are in the file,
 * so calls from many threads, or from several processes sharing the file, can never together
 * exceed the budget. A process that dies between the two leaves its reservation counted against
 * that day's budget (the call may well have been billed) until the day is over.
 *
 * <p>Every operation reads the file afresh under an exclusive lock on the sibling
 * {@code <ledger>.lock} (the ledger itself is replaced on each write, so it cannot carry the lock)
 * and writes a new version atomically: temporary file, fsync, atomic rename, fsync of the folder.
 * A reader therefore sees the old file or the new one, never half of one. Amounts are exact
 * decimals: prices per token are tiny and sums of doubles would drift across the budget line.
 *
 * <p>The day is the calendar date in the configured zone. A ledger dated before today starts a new,
 * empty day; one dated after today (a clock set back, another zone) is kept as the current day,
 * since dropping it could lift the budget. Anything unreadable is a {@link SpendLedgerException}
 * and the file is left as it was.
 */
final class SpendLedger {
    private static final int VERSION = 1;
    private static final Set<String> FIELDS = Set.of("version", "day", "spentUsd", "reservedUsd");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    /** One monitor per ledger file, shared by every instance on it in this JVM. */
    private static final ConcurrentMap<Path, Object> JVM_LOCKS = new ConcurrentHashMap<>();

    /** One day's totals: settled spend and what calls in flight have reserved. */
    record DayTotals(LocalDate day, BigDecimal spentUsd, BigDecimal reservedUsd) {}

    /** The answer to {@link #reserve}: either the reservation or the totals that refused it. */
    sealed interface Booking permits Reservation, Refusal {}

    /** Worst-case cost held for a call on {@code day}, until {@link #settle}. */
    record Reservation(LocalDate day, BigDecimal amountUsd) implements Booking {}

    /** The call did not fit: {@code totals} plus its worst case exceed the budget. */
    record Refusal(DayTotals totals) implements Booking {}

    private final Path file;
    private final Path lockFile;
    private final ZoneId zone;
    private final Clock clock;
    private final BigDecimal dailyBudgetUsd;
    private final Object jvmLock;

    SpendLedger(Path file, ZoneId zone, Clock clock, BigDecimal dailyBudgetUsd) {
        this.file = file.toAbsolutePath();
        this.lockFile = this.file.resolveSibling(this.file.getFileName() + ".lock");
        this.jvmLock = JVM_LOCKS.computeIfAbsent(lockFile.normalize(), p -> new Object());
        this.zone = zone;
        this.clock = clock;
        this.dailyBudgetUsd = dailyBudgetUsd;
    }

    /** Today's totals; nothing is written. */
    DayTotals today() {
        return locked("cannot lock", this::current);
    }

    /** Holds {@code worstCaseUsd} of today's budget, or refuses if it does not fit. */
    Booking reserve(BigDecimal worstCaseUsd) {
        return locked("cannot update", () -> {
            DayTotals t = current();
            if (t.spentUsd().add(t.reservedUsd()).add(worstCaseUsd).compareTo(dailyBudgetUsd) > 0) {
                return new Refusal(t);
            }
            write(new DayTotals(t.day(), t.spentUsd(), t.reservedUsd().add(worstCaseUsd)));
            return new Reservation(t.day(), worstCaseUsd);
        });
    }

    /**
     * Releases {@code reservation} and books {@code actualUsd} instead, on the day it was reserved.
     * If that day is over, its ledger is already gone and there is nothing left to correct.
     */
    void settle(Reservation reservation, BigDecimal actualUsd) {
        locked("cannot update", () -> {
            DayTotals t = current();
            if (t.day().equals(reservation.day())) {
                BigDecimal reserved = t.reservedUsd().subtract(reservation.amountUsd()).max(BigDecimal.ZERO);
                write(new DayTotals(t.day(), t.spentUsd().add(actualUsd), reserved));
            }
            return null;
        });
    }

    private interface LedgerAction<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code action} holding the ledger: the file's monitor for this JVM's threads and
     * instances (a JVM may hold one lock per file, and a second {@code lock()} from another thread
     * would throw rather than wait), then the file lock for other processes.
     */
    private <T> T locked(String what, LedgerAction<T> action) {
        synchronized (jvmLock) {
            try {
                Files.createDirectories(lockFile.getParent());
                try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    channel.lock(); // released when the channel closes
                    return action.run();
                }
            } catch (IOException e) {
                throw failure(what, e);
            }
        }
    }

    private DayTotals current() {
        LocalDate today = clock.instant().atZone(zone).toLocalDate();
        DayTotals stored = read();
        if (stored == null || stored.day().isBefore(today)) {
            return new DayTotals(today, BigDecimal.ZERO, BigDecimal.ZERO);
        }
        return stored;
    }

    /** The stored totals, or null when there is no ledger yet. */
    private DayTotals read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw failure("cannot read", e);
        }
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw corrupt("not JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw failure("cannot read", e);
        }
        if (root == null || root.isMissingNode()) {
            throw corrupt("the file is empty", null);
        }
        if (!root.isObject()) {
            throw corrupt("not a JSON object", null);
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw corrupt("unexpected field \"" + name + "\"", null);
            }
        }
        JsonNode version = root.get("version");
        if (version == null || !version.isInt() || version.intValue() != VERSION) {
            throw corrupt("\"version\" must be " + VERSION + ", got " + version, null);
        }
        JsonNode day = root.get("day");
        if (day == null || !day.isTextual()) {
            throw corrupt("\"day\" must be a date like \"2026-12-02\", got " + day, null);
        }
        LocalDate date;
        try {
            date = LocalDate.parse(day.textValue());
        } catch (DateTimeParseException e) {
            throw corrupt("\"day\" must be a date like \"2026-12-02\", got " + day, e);
        }
        return new DayTotals(date, amount(root, "spentUsd"), amount(root, "reservedUsd"));
    }

    private BigDecimal amount(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || !n.isNumber() || n.decimalValue().signum() < 0) {
            throw corrupt("\"" + field + "\" must be a number >= 0, got " + n, null);
        }
        return n.decimalValue();
    }

    private void write(DayTotals t) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", VERSION);
        root.put("day", t.day().toString());
        root.put("spentUsd", t.spentUsd().stripTrailingZeros());
        root.put("reservedUsd", t.reservedUsd().stripTrailingZeros());
        byte[] bytes = (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);

        Path dir = file.getParent();
        Path tmp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
                out.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a folder to fsync it; the rename is atomic all the same,
            // only its durability across a power cut is then up to the file system.
        }
    }

    private SpendLedgerException corrupt(String problem, Throwable cause) {
        return new SpendLedgerException(file, "spend ledger " + file + " is unreadable: " + problem
                + "; it is left as it is and cloud calls are refused until it is fixed or deleted"
                + " (deleting it forgets today's spend)", cause);
    }

    private SpendLedgerException failure(String what, IOException e) {
        return new SpendLedgerException(file, "spend ledger " + file + ": " + what + " it: " + e, e);
    }
}
