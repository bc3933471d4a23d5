package io.agentcouncil.generation;

import java.util.List;

/** Finds stop strings in growing text, and how much of its end could still become one. */
final class StopStrings {

    private final String[] stops;
    private final int longest;

    StopStrings(List<String> stops) {
        this.stops = stops.toArray(new String[0]);
        int max = 0;
        for (String s : this.stops) {
            max = Math.max(max, s.length());
        }
        this.longest = max;
    }

    boolean isEmpty() {
        return stops.length == 0;
    }

    /**
     * The index of the earliest stop string in {@code text} that ends after {@code grownFrom}
     * (text before it was searched already), or -1.
     */
    int find(CharSequence text, int grownFrom) {
        if (stops.length == 0) {
            return -1;
        }
        int from = Math.max(0, grownFrom - longest + 1);
        int best = -1;
        String tail = text.subSequence(from, text.length()).toString(); // only the part that can hold a new match
        for (String stop : stops) {
            int i = tail.indexOf(stop);
            if (i >= 0 && (best < 0 || i < best)) {
                best = i;
            }
        }
        return best < 0 ? -1 : from + best;
    }

    /** Length of the longest end of {@code text} that is the start of some stop string (and not all of it). */
    int heldBack(CharSequence text) {
        int n = text.length();
        for (int k = Math.min(longest - 1, n); k > 0; k--) {
            for (String stop : stops) {
                if (stop.length() > k && startsWith(stop, text, n - k, k)) {
                    return k;
                }
            }
        }
        return 0;
    }

    private static boolean startsWith(String stop, CharSequence text, int from, int k) {
        for (int i = 0; i < k; i++) {
            if (stop.charAt(i) != text.charAt(from + i)) {
                return false;
            }
        }
        return true;
    }
}
