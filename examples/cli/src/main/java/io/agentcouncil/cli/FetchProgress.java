package io.agentcouncil.cli;

import java.io.Writer;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code scripts/fetch-models}' output turned into a progress bar. The script reports every tenth
 * of a model and every package of a split one as log lines ("total 197.5 MiB / 468.6 MiB",
 * "[3/6]"); on a terminal those update the live line of a {@link Progress.Task} instead of
 * scrolling, and every other line (what is fetched, errors, the verdict) is printed as it is.
 */
final class FetchProgress extends Writer {
    private static final String SIZE = "(\\d+(?:\\.\\d+)?) (B|KiB|MiB|GiB)";
    private static final Pattern AMOUNT = Pattern.compile(SIZE + " / " + SIZE);
    private static final Pattern PART = Pattern.compile("\\[(\\d+)/(\\d+)]");

    private final Progress.Task task;
    private final StringBuilder line = new StringBuilder();
    private double fraction;
    private String amount = "";
    private String part = "";

    FetchProgress(Progress.Task task) {
        this.task = task;
    }

    @Override
    public synchronized void write(char[] buf, int off, int len) {
        for (int i = off; i < off + len; i++) {
            char c = buf[i];
            if (c == '\n' || c == '\r') {
                if (!line.isEmpty()) {
                    take(line.toString());
                }
                line.setLength(0);
            } else {
                line.append(c);
            }
        }
    }

    /** One line of the script's output: a progress report updates the bar, anything else is shown. */
    void take(String text) {
        Matcher parts = PART.matcher(text);
        boolean isPart = parts.find();
        if (isPart) {
            part = "part " + parts.group(1) + "/" + parts.group(2);
        }
        Matcher amounts = AMOUNT.matcher(text);
        boolean isAmount = false;
        while (amounts.find()) { // the last pair on a line is the model's running total
            isAmount = true;
            double done = bytes(amounts.group(1), amounts.group(2));
            double total = bytes(amounts.group(3), amounts.group(4));
            fraction = total > 0 ? done / total : 0;
            amount = amounts.group(1) + " " + amounts.group(2) + " / " + amounts.group(3) + " " + amounts.group(4);
        }
        if (!isPart && !isAmount) {
            task.println(text);
            return;
        }
        String percent = String.format(Locale.ROOT, "%3d%%", (int) Math.floor(fraction * 100));
        task.status(Progress.bar(fraction) + " " + percent + (amount.isEmpty() ? "" : "  " + amount)
                + (part.isEmpty() ? "" : "  " + part));
    }

    private static double bytes(String number, String unit) {
        double n = Double.parseDouble(number);
        return switch (unit) {
            case "KiB" -> n * 1024;
            case "MiB" -> n * 1024 * 1024;
            case "GiB" -> n * 1024 * 1024 * 1024;
            default -> n;
        };
    }

    @Override
    public synchronized void flush() {
        // Lines are taken whole; a partial one waits for its end.
    }

    @Override
    public synchronized void close() {
        if (!line.isEmpty()) {
            take(line.toString());
            line.setLength(0);
        }
    }
}
