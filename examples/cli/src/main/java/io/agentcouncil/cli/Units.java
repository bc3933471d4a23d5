package io.agentcouncil.cli;

import java.util.Locale;

/** Human-readable sizes and counts, the way model cards write them. */
final class Units {
    private Units() {}

    /** Bytes in binary units, as {@code scripts/fetch-models} prints them: {@code 93.8 MiB}. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        do {
            v /= 1024;
            u++;
        } while (v >= 1024 && u < units.length - 1);
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** Parameter counts in decimal units: {@code 134.5M}, {@code 1.54B}. */
    static String count(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2fB", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.1fM", n / 1e6);
        }
        if (n >= 1_000L) {
            return String.format(Locale.ROOT, "%.1fK", n / 1e3);
        }
        return Long.toString(n);
    }

    /** {@code 98,362,432}: exact values next to rounded ones. */
    static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
