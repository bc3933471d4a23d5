package io.agentcouncil.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * What a slow step is doing, on stderr. On a terminal, one line redrawn in place: a spinner, the
 * step, its status (a bar while fetching) and the time elapsed, so a load or a download never
 * looks like a hang. Anywhere else (a log file, a test) only plain lines, no carriage returns or
 * escape codes.
 */
final class Progress {
    private static final String FRAMES = "|/-\\";
    private static final long TICK_MILLIS = 120;
    private static final int BAR_WIDTH = 24;

    private final PrintWriter err;
    private final boolean terminal;
    /** A live line longer than the terminal would wrap, and a carriage return cannot take back a wrapped line. */
    private final int width;

    Progress(PrintWriter err, boolean terminal, int width) {
        this.err = err;
        this.terminal = terminal;
        this.width = width;
    }

    /** Progress on {@code err}, animated when the process's stderr is a terminal. */
    static Progress on(PrintWriter err) {
        boolean terminal = Terminals.stderr();
        return new Progress(err, terminal, terminal ? Terminals.stderrWidth() : 80);
    }

    boolean animated() {
        return terminal;
    }

    /** Starts showing {@code what} ("loading Agent-0 smollm2-135m-instruct"). */
    Task start(String what) {
        Task task = new Task(what);
        if (terminal) {
            task.ticker.start();
        }
        return task;
    }

    /** A bar of {@code fraction} (0 to 1): {@code [#########...............]}. */
    static String bar(double fraction) {
        int filled = (int) Math.round(Math.max(0, Math.min(1, fraction)) * BAR_WIDTH);
        return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "]";
    }

    /** One step shown until {@link #done}. Thread-safe: fetch output arrives on two threads. */
    final class Task implements AutoCloseable {
        private final String what;
        private final long start = System.nanoTime();
        private final Thread ticker;
        private String status = "";
        private int frame;
        private boolean finished;

        private Task(String what) {
            this.what = what;
            this.ticker = new Thread(this::tick, "progress");
            ticker.setDaemon(true);
        }

        /** Replaces the status shown after the step; on a terminal only, plain output has no live line. */
        synchronized void status(String text) {
            status = text;
        }

        /** A line of its own, above the live line. */
        synchronized void println(String line) {
            clear();
            err.println(line);
            err.flush();
        }

        /** Time since {@link Progress#start}. */
        double seconds() {
            return (System.nanoTime() - start) / 1e9;
        }

        /** Stops the live line and leaves {@code line} in its place (nothing if null). */
        void done(String line) {
            synchronized (this) {
                if (finished) {
                    return;
                }
                finished = true;
                clear();
                if (line != null) {
                    err.println(line);
                }
                err.flush();
                notifyAll();
            }
            if (terminal && Thread.currentThread() != ticker) {
                try {
                    ticker.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void close() {
            done(null);
        }

        private synchronized void tick() {
            while (!finished) {
                String time = String.format(Locale.ROOT, "%.1fs", seconds());
                // The time before the status, so that a narrow terminal cuts the status rather than the clock.
                String line = FRAMES.charAt(frame++ % FRAMES.length()) + " " + what + "  " + time
                        + (status.isEmpty() ? "" : "  " + status);
                err.print("\r" + (line.length() < width ? line : line.substring(0, width - 1)) + "\033[K");
                err.flush();
                try {
                    wait(TICK_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void clear() {
            if (terminal) {
                err.print("\r\033[K");
            }
        }
    }
}
