package io.agentcouncil.template;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.dumps} as Hugging Face's {@code tojson} filter calls it (ensure_ascii off by
 * default, optional indent, separators and sort_keys), so that tool schemas and arguments render
 * byte for byte as they do in transformers: {@code ", "} and {@code ": "} separators, non-ASCII
 * kept, floats written as Python's {@code repr}.
 */
final class PythonJson {

    private final String indent;
    private final String itemSeparator;
    private final String keySeparator;
    private final boolean sortKeys;
    private final boolean ensureAscii;

    /**
     * @param indent null for one line, else the string repeated per nesting level
     * @param separators null for Python's defaults, else {item separator, key separator}
     */
    PythonJson(String indent, List<String> separators, boolean sortKeys, boolean ensureAscii) {
        this.indent = indent;
        this.itemSeparator = separators != null ? separators.get(0) : indent == null ? ", " : ",";
        this.keySeparator = separators != null ? separators.get(1) : ": ";
        this.sortKeys = sortKeys;
        this.ensureAscii = ensureAscii;
    }

    String dumps(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, 0, out);
        return out.toString();
    }

    private void write(Object value, int level, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (value instanceof CharSequence s) {
            writeString(s.toString(), out);
        } else if (value instanceof Double || value instanceof Float) {
            out.append(floatRepr(((Number) value).doubleValue()));
        } else if (value instanceof BigDecimal d) {
            out.append(floatRepr(d.doubleValue()));
        } else if (value instanceof Number n) {
            out.append(n instanceof BigInteger ? n.toString() : Long.toString(n.longValue()));
        } else if (value instanceof Map<?, ?> map) {
            writeObject(map, level, out);
        } else if (value instanceof Iterable<?> || value.getClass().isArray()) {
            writeArray(items(value), level, out);
        } else {
            throw new IllegalArgumentException("Object of type " + value.getClass().getSimpleName()
                    + " is not JSON serializable");
        }
    }

    private static List<Object> items(Object value) {
        List<Object> items = new ArrayList<>();
        if (value instanceof Iterable<?> iterable) {
            iterable.forEach(items::add);
        } else {
            for (int i = 0; i < Array.getLength(value); i++) {
                items.add(Array.get(value, i));
            }
        }
        return items;
    }

    private void writeArray(List<Object> items, int level, StringBuilder out) {
        if (items.isEmpty()) {
            out.append("[]");
            return;
        }
        out.append('[');
        for (int i = 0; i < items.size(); i++) {
            out.append(i == 0 ? "" : itemSeparator);
            newline(level + 1, out);
            write(items.get(i), level + 1, out);
        }
        newline(level, out);
        out.append(']');
    }

    private void writeObject(Map<?, ?> map, int level, StringBuilder out) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        List<Map.Entry<String, Object>> entries = new ArrayList<>();
        map.forEach((k, v) -> entries.add(new AbstractMap.SimpleEntry<>(key(k), v)));
        if (sortKeys) {
            entries.sort(Map.Entry.comparingByKey());
        }
        out.append('{');
        for (int i = 0; i < entries.size(); i++) {
            out.append(i == 0 ? "" : itemSeparator);
            newline(level + 1, out);
            writeString(entries.get(i).getKey(), out);
            out.append(keySeparator);
            write(entries.get(i).getValue(), level + 1, out);
        }
        newline(level, out);
        out.append('}');
    }

    /** Python converts str, int, float, bool and None keys to strings; others are an error. */
    private static String key(Object k) {
        if (k == null) {
            return "null";
        }
        if (k instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (k instanceof Double || k instanceof Float) {
            return floatRepr(((Number) k).doubleValue());
        }
        if (k instanceof CharSequence || k instanceof Number) {
            return k.toString();
        }
        throw new IllegalArgumentException("keys must be str, int, float, bool or None, not "
                + k.getClass().getSimpleName());
    }

    private void newline(int level, StringBuilder out) {
        if (indent != null) {
            out.append('\n').append(indent.repeat(level));
        }
    }

    private void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || (ensureAscii && c > 0x7e)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Python's {@code float.__repr__}: shortest round-trip digits, exponent outside [1e-4, 1e16). */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        double magnitude = Math.abs(d);
        if (magnitude >= 1e-4 && magnitude < 1e16) {
            String plain = exact.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String digits = exact.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - exact.scale();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String sign = d < 0 ? "-" : "";
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }
}
