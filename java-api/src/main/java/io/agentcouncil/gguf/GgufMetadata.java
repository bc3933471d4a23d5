package io.agentcouncil.gguf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The key/value metadata of a GGUF file, in file order. Scalars are boxed Java values (unsigned
 * 8/16-bit as Integer, UINT32 as Long); arrays are primitive arrays ({@code int[]}, {@code long[]},
 * {@code float[]}, {@code double[]}, {@code boolean[]}, {@code String[]}) or {@code Object[]} for
 * arrays of arrays. Typed getters throw {@link GgufFormatException} naming the key when the value
 * is missing or of another type, because to the caller that is a malformed model file.
 */
public final class GgufMetadata {

    record Entry(GgufValueType type, GgufValueType elementType, Object value, long offset) {}

    private final Map<String, Entry> entries;

    GgufMetadata(LinkedHashMap<String, Entry> entries) {
        this.entries = Collections.unmodifiableMap(entries);
    }

    public Set<String> keys() {
        return entries.keySet();
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    /** The raw value, or null when absent. */
    public Object get(String key) {
        Entry e = entries.get(key);
        return e == null ? null : e.value;
    }

    /** The value's type, or null when absent. */
    public GgufValueType type(String key) {
        Entry e = entries.get(key);
        return e == null ? null : e.type;
    }

    /** For arrays, the element type; null for scalars and absent keys. */
    public GgufValueType elementType(String key) {
        Entry e = entries.get(key);
        return e == null ? null : e.elementType;
    }

    public String getString(String key) {
        return (String) require(key, GgufValueType.STRING).value;
    }

    public String getString(String key, String fallback) {
        return has(key) ? getString(key) : fallback;
    }

    /** Any integer type, widened. UINT64 values above {@link Long#MAX_VALUE} are rejected. */
    public long getLong(String key) {
        Entry e = entries.get(key);
        if (e == null || !e.type.isInteger()) {
            throw mismatch(key, e, "an integer");
        }
        long v = ((Number) e.value).longValue();
        if (e.type == GgufValueType.UINT64 && v < 0) {
            throw new GgufFormatException(field(key), e.offset, "UINT64 value too large: " + Long.toUnsignedString(v));
        }
        return v;
    }

    public long getLong(String key, long fallback) {
        return has(key) ? getLong(key) : fallback;
    }

    public int getInt(String key) {
        long v = getLong(key);
        if (v != (int) v) {
            throw new GgufFormatException(field(key), entries.get(key).offset, "value " + v + " does not fit in an int");
        }
        return (int) v;
    }

    public int getInt(String key, int fallback) {
        return has(key) ? getInt(key) : fallback;
    }

    public double getDouble(String key) {
        Entry e = entries.get(key);
        if (e == null || !(e.type == GgufValueType.FLOAT32 || e.type == GgufValueType.FLOAT64 || e.type.isInteger())) {
            throw mismatch(key, e, "a number");
        }
        return ((Number) e.value).doubleValue();
    }

    public double getDouble(String key, double fallback) {
        return has(key) ? getDouble(key) : fallback;
    }

    public boolean getBoolean(String key, boolean fallback) {
        return has(key) ? (Boolean) require(key, GgufValueType.BOOL).value : fallback;
    }

    public String[] getStringArray(String key) {
        return (String[]) requireArray(key, GgufValueType.STRING).value;
    }

    public float[] getFloatArray(String key) {
        return (float[]) requireArray(key, GgufValueType.FLOAT32).value;
    }

    /** An array of any integer type that fits in 32 bits. */
    public int[] getIntArray(String key) {
        Entry e = entries.get(key);
        if (e == null || e.type != GgufValueType.ARRAY || !(e.value instanceof int[])) {
            throw mismatch(key, e, "an array of 8, 16 or 32-bit integers");
        }
        return (int[]) e.value;
    }

    private Entry require(String key, GgufValueType type) {
        Entry e = entries.get(key);
        if (e == null || e.type != type) {
            throw mismatch(key, e, type.name());
        }
        return e;
    }

    private Entry requireArray(String key, GgufValueType elementType) {
        Entry e = entries.get(key);
        if (e == null || e.type != GgufValueType.ARRAY || e.elementType != elementType) {
            throw mismatch(key, e, "ARRAY of " + elementType);
        }
        return e;
    }

    private static GgufFormatException mismatch(String key, Entry e, String expected) {
        if (e == null) {
            return new GgufFormatException(field(key), -1, "missing, expected " + expected);
        }
        String found = e.type == GgufValueType.ARRAY ? "ARRAY of " + e.elementType : e.type.name();
        return new GgufFormatException(field(key), e.offset, "expected " + expected + ", found " + found);
    }

    private static String field(String key) {
        return "metadata[\"" + key + "\"]";
    }
}
