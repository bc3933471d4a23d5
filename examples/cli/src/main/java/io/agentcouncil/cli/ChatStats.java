package io.agentcouncil.cli;

import io.agentcouncil.Reply;
import io.agentcouncil.Route;
import io.agentcouncil.Stage;
import io.agentcouncil.monitoring.Health;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** What {@code /stats} shows: this chat's turns so far, its last reply in detail, and the council's health. */
final class ChatStats {
    private final Map<Route, Integer> routes = new EnumMap<>(Route.class);
    private final Set<String> sessions = new HashSet<>();
    private int turns;
    private long tokensIn;
    private long tokensOut;
    private Reply last;

    void add(String session, Reply reply) {
        turns++;
        sessions.add(session);
        routes.merge(reply.route(), 1, Integer::sum);
        tokensIn += reply.tokensIn();
        tokensOut += reply.tokensOut();
        last = reply;
    }

    void print(PrintWriter out, String session, Health health) {
        String byRoute = Arrays.stream(Route.values())
                .map(r -> r.tag() + " " + routes.getOrDefault(r, 0))
                .collect(Collectors.joining(", "));
        out.printf(Locale.ROOT, "%-12s%s%n", "session", session);
        out.printf(Locale.ROOT, "%-12s%d (%s) in %d %s%n", "turns", turns, byRoute, sessions.size(),
                sessions.size() == 1 ? "session" : "sessions");
        out.printf(Locale.ROOT, "%-12s%d in, %d out%n", "tokens", tokensIn, tokensOut);
        out.printf(Locale.ROOT, "%-12s%s%n", "last reply", last == null ? "none yet" : describe(last));
        out.printf(Locale.ROOT, "%-12s%s, score %d%n", "health", health.status(), health.score());
        health.components().forEach((name, c) -> out.println(String.format(Locale.ROOT, "  %-22s%-10s%-14s%s", name, c.status(),
                c.state(), c.detail()).stripTrailing()));
        out.flush();
    }

    /** "council, confidence 0.58, 2.31 s: smollm2-135m-instruct 1.10 s, qwen2.5-coder-0.5b-instruct 1.15 s + load 0.90 s". */
    private static String describe(Reply r) {
        String stages = r.stages().stream().map(ChatStats::stage).collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "%s, confidence %s, %s%s: %s", r.route().tag(), confidence(r.confidence()),
                seconds(r.latency()), r.degraded() ? ", degraded" : "", stages);
    }

    private static String stage(Stage s) {
        String load = s.loadTime().isZero() ? "" : " + load " + seconds(s.loadTime());
        String note = s.note().isEmpty() ? "" : " (" + s.note() + ")";
        return s.model() + " " + seconds(s.latency()) + load + note;
    }

    static String confidence(double c) {
        return Double.isNaN(c) ? "n/a" : String.format(Locale.ROOT, "%.2f", c);
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.2f s", d.toNanos() / 1e9);
    }
}
