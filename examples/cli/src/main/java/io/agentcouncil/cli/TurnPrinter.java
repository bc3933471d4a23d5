package io.agentcouncil.cli;

import io.agentcouncil.Reply;
import io.agentcouncil.StreamListener;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Prints a streamed turn as it happens: Agent-0's tokens, then, when it was not confident enough,
 * an escalation line of its own ("↳ escalated to council (confidence 0.41 < 0.65): general") so
 * that the draft above it is seen to be superseded, then the council's answer. A specialist that
 * still has to load shows a spinner on a terminal until its first token.
 */
final class TurnPrinter implements StreamListener, AutoCloseable {
    private final PrintWriter transcript;
    private final RunningCouncil council;
    private final Progress progress;
    private Progress.Task loading;
    private boolean atLineStart = true;

    TurnPrinter(PrintWriter transcript, RunningCouncil council, Progress progress) {
        this.transcript = transcript;
        this.council = council;
        this.progress = progress;
    }

    /** The escalation as the transcript shows it. */
    private static String escalationLine(Escalation e) {
        return String.format(Locale.ROOT, "↳ escalated to %s (confidence %.2f < %.2f%s): %s", e.to().tag(), e.confidence(),
                e.gate(), e.early() ? ", decided early" : "", String.join(", ", e.models()));
    }

    /** The line after a reply, on stderr: "[council, confidence 0.58, 2.31 s, 88 tokens in, 31 out]". */
    static String summary(Reply r) {
        String notes = r.stages().stream().filter(s -> !s.note().isEmpty()).map(s -> "; " + s.model() + ": " + s.note())
                .collect(Collectors.joining());
        return String.format(Locale.ROOT, "[%s, confidence %s, %s, %d tokens in, %d out%s%s]", r.route().tag(),
                ChatStats.confidence(r.confidence()), ChatStats.seconds(r.latency()), r.tokensIn(), r.tokensOut(),
                r.degraded() ? ", degraded" : "", notes);
    }

    @Override
    public void onToken(StreamToken token) {
        stopLoading();
        transcript.print(token.text());
        transcript.flush();
        atLineStart = token.text().endsWith("\n");
    }

    @Override
    public void onEscalation(Escalation escalation) {
        endLine();
        transcript.println(escalationLine(escalation));
        transcript.flush();
        List<String> loads = progress.animated() ? council.notLoaded(escalation.models()) : List.of();
        if (!loads.isEmpty()) {
            loading = progress.start("loading " + String.join(", ", loads));
        }
    }

    @Override
    public void onComplete(Reply reply) {
        stopLoading();
        endLine();
        transcript.flush();
    }

    /** Stops a spinner the turn left running when it failed before its first token. */
    @Override
    public void close() {
        stopLoading();
    }

    private void endLine() {
        if (!atLineStart) {
            transcript.println();
            atLineStart = true;
        }
    }

    private void stopLoading() {
        if (loading != null) {
            loading.close();
            loading = null;
        }
    }
}
