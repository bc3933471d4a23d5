package io.agentcouncil.cli;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the chat's lines come from: a person at a terminal, or a pipe (a script, a test). */
interface ChatInput extends AutoCloseable {

    /** The next line, or null at the end of input. */
    String read(String prompt);

    /** False for piped input, whose lines the transcript then shows, since nothing echoed them. */
    boolean interactive();

    @Override
    void close();

    /** JLine on the process's terminal: line editing, completion of the commands, and history kept in {@code history}. */
    static ChatInput terminal(Path history, List<String> commands) {
        try {
            Files.createDirectories(history.toAbsolutePath().getParent());
            Terminal terminal = TerminalBuilder.builder().system(true).build();
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("agentcouncil")
                    .variable(LineReader.HISTORY_FILE, history)
                    .completer(new StringsCompleter(commands))
                    .build();
            TerminalInput input = new TerminalInput(terminal, reader);
            terminal.handle(Terminal.Signal.INT, signal -> input.interrupted());
            return input;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the terminal: " + e.getMessage(), e);
        }
    }

    /** Lines of {@code in} as UTF-8, one message or command each. */
    static ChatInput piped(InputStream in) {
        return new PipedInput(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    }

    /** A person typing: Ctrl-C drops the line being typed, Ctrl-D ends the chat. */
    final class TerminalInput implements ChatInput {
        private final Terminal terminal;
        private final LineReader reader;
        private volatile boolean exiting;

        private TerminalInput(Terminal terminal, LineReader reader) {
            this.terminal = terminal;
            this.reader = reader;
        }

        /**
         * Ctrl-C while an answer streams (at the prompt JLine takes it itself). JLine's default would
         * end the process at once, skipping the shutdown hook that closes the council and so writes its
         * memory: exit as the JVM does on its own instead, once the answer in flight is done.
         */
        private void interrupted() {
            exiting = true; // the terminal closes with the JVM: no prompt after this answer
            terminal.writer().println();
            terminal.writer().println("(interrupted: the chat ends once this answer is done)");
            terminal.writer().flush();
            System.exit(130);
        }

        @Override
        public String read(String prompt) {
            if (exiting) {
                return null;
            }
            try {
                return reader.readLine(prompt);
            } catch (UserInterruptException e) {
                return "";
            } catch (EndOfFileException e) {
                return null;
            }
        }

        @Override
        public boolean interactive() {
            return true;
        }

        @Override
        public void close() {
            try {
                reader.getHistory().save();
                terminal.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save the chat history: " + e.getMessage(), e);
            }
        }
    }

    /** Lines from a pipe, read as they come, so a script can wait for each answer before writing the next. */
    final class PipedInput implements ChatInput {
        private final BufferedReader reader;

        private PipedInput(BufferedReader reader) {
            this.reader = reader;
        }

        @Override
        public String read(String prompt) {
            try {
                return reader.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read standard input: " + e.getMessage(), e);
            }
        }

        @Override
        public boolean interactive() {
            return false;
        }

        @Override
        public void close() {
            // Standard input is the process's, not ours to close.
        }
    }
}
