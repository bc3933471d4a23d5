package io.agentcouncil.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentcouncil.Reply;
import io.agentcouncil.Stage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code agentcouncil ask QUESTION}: one turn. At a terminal the turn streams to stdout as chat
 * shows it (Agent-0's draft, the escalation line, the council's answer); when stdout is a pipe or
 * a file it gets the answer alone, and the streamed turn goes to stderr, so that
 * {@code answer=$(agentcouncil ask ...)} holds only the answer.
 */
@Command(name = "ask", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Ask the council one question. At a terminal the turn streams as in chat: Agent-0's tokens, an "
                + "escalation line when its confidence is below the gate, then the council's answer. When stdout is not "
                + "a terminal it gets only the answer, and the streamed turn goes to stderr. A line on stderr ends "
                + "with the route, confidence, latency and tokens.",
                "--json prints one JSON object instead: text, route (agent0, council or cloud), confidence, latency_ms, "
                        + "tokens_in, tokens_out, models, then degraded, session, policy, memories and every stage."},
        exitCodeListHeading = CliException.EXIT_HEADING,
        exitCodeList = {CliException.EXIT_OK, CliException.EXIT_FAILURE, CliException.EXIT_USAGE,
                CliException.EXIT_MODEL_MISSING})
final class AskCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CouncilOptions options;

    @Parameters(paramLabel = "QUESTION", description = "The message; - reads it from standard input.")
    String question;

    @Option(names = "--json", description = "Print one JSON object with the answer and how it was reached.")
    boolean json;

    @Option(names = "--session", paramLabel = "NAME", description = "The session to ask in (default: a new one); "
            + "with --memory, a follow-up to an earlier chat or ask in that session.")
    String session;

    @Override
    public Integer call() throws IOException, InterruptedException {
        String text = "-".equals(question) ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : question;
        if (text.isBlank()) {
            throw new ParameterException(spec.commandLine(), "the question is empty");
        }
        if (session != null && session.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--session needs a name");
        }
        String sessionId = session != null ? session : ChatCommand.freshSession("ask");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean live = !json && Terminals.stdout();
        PrintWriter transcript = json ? new PrintWriter(Writer.nullWriter()) : live ? out : err;
        try (RunningCouncil council = options.open(err);
             TurnPrinter printer = new TurnPrinter(transcript, council, Progress.on(err))) {
            Reply reply;
            try {
                reply = council.council().stream(sessionId, text, printer);
            } catch (IllegalArgumentException e) {
                throw new CliException(CliException.USAGE, e.getMessage()); // a question too long for Agent-0's context
            }
            if (json) {
                Json.print(out, toJson(reply, sessionId));
            } else {
                if (!live) {
                    out.print(reply.text());
                    if (!reply.text().endsWith("\n")) {
                        out.println();
                    }
                }
                err.println(TurnPrinter.summary(reply));
            }
            out.flush();
            council.alerts().drainTo(err);
        }
        return 0;
    }

    static ObjectNode toJson(Reply r, String session) {
        ObjectNode doc = Json.object();
        doc.put("text", r.text());
        doc.put("route", r.route().tag());
        putConfidence(doc, r.confidence());
        doc.put("latency_ms", millis(r.latency()));
        doc.put("tokens_in", r.tokensIn());
        doc.put("tokens_out", r.tokensOut());
        ArrayNode models = doc.putArray("models");
        r.modelsConsulted().forEach(models::add);
        doc.put("degraded", r.degraded());
        doc.put("session", session);
        doc.put("policy", r.policy());
        ArrayNode memories = doc.putArray("memories");
        r.memories().forEach(memories::add);
        ArrayNode stages = doc.putArray("stages");
        for (Stage s : r.stages()) {
            ObjectNode stage = stages.addObject()
                    .put("route", s.route().tag())
                    .put("model", s.model());
            putConfidence(stage, s.confidence());
            stage.put("tokens_in", s.tokensIn())
                    .put("tokens_out", s.tokensOut())
                    .put("latency_ms", millis(s.latency()))
                    .put("load_ms", millis(s.loadTime()))
                    .put("note", s.note())
                    .put("text", s.text());
        }
        return doc;
    }

    /** NaN (the cloud's confidence, which is not known) is not JSON: null instead. */
    private static void putConfidence(ObjectNode node, double confidence) {
        if (Double.isNaN(confidence)) {
            node.putNull("confidence");
        } else {
            node.put("confidence", confidence);
        }
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1e6;
    }
}
