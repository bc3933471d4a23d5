package io.agentcouncil.cli;

import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Whether the process's standard streams are terminals. Java only knows whether stdin and stdout
 * both are ({@link System#console()}), and progress bars depend on stderr alone, so this asks the
 * C library through JLine's native provider, or failing that its {@code exec} provider.
 */
final class Terminals {
    private static final Map<SystemStream, Boolean> SEEN = new EnumMap<>(SystemStream.class);

    private Terminals() {}

    static boolean stdin() {
        return is(SystemStream.Input);
    }

    static boolean stdout() {
        return is(SystemStream.Output);
    }

    static boolean stderr() {
        return is(SystemStream.Error);
    }

    /** Columns of the terminal on stderr, or 80 where that cannot be told. */
    static int stderrWidth() {
        try {
            int width = TerminalProvider.load("jni").systemStreamWidth(SystemStream.Error);
            return width > 0 ? width : 80;
        } catch (Exception | LinkageError e) {
            return 80;
        }
    }

    private static synchronized boolean is(SystemStream stream) {
        return SEEN.computeIfAbsent(stream, Terminals::ask);
    }

    private static boolean ask(SystemStream stream) {
        for (String provider : List.of("jni", "exec")) {
            try {
                return TerminalProvider.load(provider).isSystemStream(stream);
            } catch (Exception | LinkageError e) {
                // This provider does not run here (no native library for the platform): try the next.
            }
        }
        return false;
    }
}
