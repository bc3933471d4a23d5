package io.agentcouncil.cli;

import io.agentcouncil.Reply;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code agentcouncil chat}: a conversation with the council, one line per message. At a terminal
 * the lines are edited with JLine and kept in a history file; from a pipe each line is read as it
 * comes and shown in the transcript before its answer, so a script (or a test) can drive it.
 */
@Command(name = "chat", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Chat with the council: Agent-0 answers each message, streamed as it is generated; when its "
                + "confidence is below the gate an escalation line says so and the council's answer follows.",
                "Commands: /reset (a new session), /session NAME (switch to NAME; alone: show the current one), "
                        + "/stats (turns, tokens, routes, the last reply's latency, the council's health), /help, "
                        + "/quit (or Ctrl-D). Each session has its own memory; with --memory it outlives the chat.",
                "Standard input that is not a terminal is read line by line, each line a message or a command."},
        exitCodeListHeading = CliException.EXIT_HEADING,
        exitCodeList = {CliException.EXIT_OK, CliException.EXIT_FAILURE, CliException.EXIT_USAGE,
                CliException.EXIT_MODEL_MISSING})
final class ChatCommand implements Callable<Integer> {
    static final List<String> COMMANDS = List.of("/reset", "/session", "/stats", "/help", "/quit");

    @Spec
    CommandSpec spec;

    @Mixin
    CouncilOptions options;

    @Option(names = "--session", paramLabel = "NAME", description = "The session to start in (default: a new one). "
            + "With --memory, a session of an earlier chat goes on where it stopped.")
    String session;

    @Option(names = "--history", paramLabel = "PATH", description = "Where the lines typed at a terminal are kept "
            + "(default: ${DEFAULT-VALUE}).")
    Path history = Path.of(System.getProperty("user.home"), ".cache", "agentcouncil", "chat-history");

    @Override
    public Integer call() throws InterruptedException {
        if (session != null && session.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--session needs a name");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int failed = 0;
        try (RunningCouncil council = options.open(err);
             ChatInput input = Terminals.stdin() && Terminals.stdout() ? ChatInput.terminal(history, COMMANDS)
                     : ChatInput.piped(System.in)) {
            Chat chat = new Chat(council, out, err, session != null ? session : freshSession("chat"));
            err.println("session " + chat.session + "; /help lists the commands");
            err.flush();
            String line;
            while (!chat.quit) {
                council.alerts().drainTo(err);
                if ((line = input.read(chat.session + "> ")) == null) {
                    break;
                }
                line = line.strip();
                if (line.isEmpty()) {
                    continue;
                }
                if (!input.interactive()) {
                    out.println("> " + line);
                }
                if (line.startsWith("/")) {
                    chat.command(line);
                } else if (!chat.turn(line)) {
                    failed++;
                }
            }
            council.alerts().drainTo(err);
        }
        return failed == 0 ? 0 : CliException.BAD_FILE;
    }

    /** "chat-1f3a9c07": unique enough for one user's memory file, short enough to type after /session. */
    static String freshSession(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The state of one chat: its current session and what /stats reports. */
    private static final class Chat {
        private final RunningCouncil council;
        private final PrintWriter out;
        private final PrintWriter err;
        private final Progress progress;
        private final ChatStats stats = new ChatStats();
        private String session;
        private boolean quit;

        Chat(RunningCouncil council, PrintWriter out, PrintWriter err, String session) {
            this.council = council;
            this.out = out;
            this.err = err;
            this.progress = Progress.on(err);
            this.session = session;
        }

        /** One message; false when the turn failed (reported on stderr, and the chat goes on). */
        boolean turn(String text) {
            try (TurnPrinter printer = new TurnPrinter(out, council, progress)) {
                Reply reply = council.council().stream(session, text, printer);
                stats.add(session, reply);
                err.println(TurnPrinter.summary(reply));
                err.flush();
                return true;
            } catch (IllegalArgumentException | IllegalStateException e) {
                err.println("error: " + e.getMessage());
                err.flush();
                return false;
            }
        }

        void command(String line) {
            String[] words = line.split("\\s+", 2);
            String arg = words.length > 1 ? words[1].strip() : "";
            switch (words[0]) {
                case "/quit", "/exit" -> quit = true;
                case "/reset" -> {
                    session = freshSession("chat");
                    out.println("new session " + session);
                }
                case "/session" -> {
                    if (!arg.isEmpty()) {
                        session = arg;
                    }
                    out.println("session " + session);
                }
                case "/stats" -> stats.print(out, session, council.council().health());
                case "/help" -> help();
                default -> err.println("unknown command " + words[0] + "; /help lists the commands");
            }
            out.flush();
            err.flush();
        }

        private void help() {
            out.println("/reset          start a new session (the old one keeps its memory)");
            out.println("/session NAME   switch to session NAME, new or earlier; alone, show the current one");
            out.println("/stats          turns, tokens, routes, the last reply's latency, the council's health");
            out.println("/help           this list");
            out.println("/quit           end the chat (Ctrl-D too)");
        }
    }
}
