package io.agentcouncil.template;

import java.time.LocalDateTime;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;

/**
 * The two functions Hugging Face adds to every chat template's globals. Registered with Jinjava
 * as static methods.
 */
final class TemplateGlobals {

    private TemplateGlobals() {}

    /**
     * {@code raise_exception(message)}: the template rejects the conversation. The exception
     * travels through Jinjava's error list and is rethrown as is by {@link JinjaEngine}.
     */
    public static Object raiseException(Object message) {
        throw new ChatTemplateException("chat template raised an exception: " + message);
    }

    /**
     * {@code strftime_now(format)}: the local time formatted as Python's
     * {@code datetime.now().strftime(format)} in the C locale. The time is naive, as in Python, so
     * {@code %Z} and {@code %z} are empty.
     */
    public static String strftimeNow(String format) {
        return strftime(LocalDateTime.now(), format);
    }

    static String strftime(LocalDateTime t, String format) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                out.append(c);
                continue;
            }
            char d = format.charAt(++i);
            // glibc's "%-d": the number without padding (Llama 3.x templates use it).
            boolean unpadded = d == '-' && i + 1 < format.length();
            if (unpadded) {
                d = format.charAt(++i);
            }
            out.append(directive(t, d, unpadded));
        }
        return out.toString();
    }

    private static String directive(LocalDateTime t, char d, boolean unpadded) {
        return switch (d) {
            case 'Y' -> Integer.toString(t.getYear());
            case 'y' -> number(t.getYear() % 100, 2, unpadded);
            case 'm' -> number(t.getMonthValue(), 2, unpadded);
            case 'd' -> number(t.getDayOfMonth(), 2, unpadded);
            case 'e' -> String.format("%2d", t.getDayOfMonth());
            case 'j' -> number(t.getDayOfYear(), 3, unpadded);
            case 'H' -> number(t.getHour(), 2, unpadded);
            case 'I' -> number(t.get(ChronoField.CLOCK_HOUR_OF_AMPM), 2, unpadded);
            case 'M' -> number(t.getMinute(), 2, unpadded);
            case 'S' -> number(t.getSecond(), 2, unpadded);
            case 'f' -> String.format("%06d", t.getNano() / 1000);
            case 'p' -> t.getHour() < 12 ? "AM" : "PM";
            case 'a' -> t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
            case 'A' -> t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
            case 'b', 'h' -> t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
            case 'B' -> t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
            case 'Z', 'z' -> "";
            case '%' -> "%";
            default -> throw new IllegalArgumentException("strftime_now: unsupported directive %" + d);
        };
    }

    private static String number(int value, int width, boolean unpadded) {
        return unpadded ? Integer.toString(value) : String.format("%0" + width + "d", value);
    }
}
