package io.agentcouncil.gguf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Writes small GGUF files byte by byte, so tests can state exactly what a file holds. */
public final class GgufBuilder {
    private final ByteArrayOutputStream meta = new ByteArrayOutputStream();
    private final ByteArrayOutputStream infos = new ByteArrayOutputStream();
    private final List<byte[]> data = new ArrayList<>();
    private int version = 3;
    private int kvCount;
    private int tensorCount;
    private long dataSize;
    private int alignment = 32;

    GgufBuilder version(int v) {
        version = v;
        return this;
    }

    GgufBuilder alignment(int a) {
        alignment = a;
        return kv("general.alignment", GgufValueType.UINT32, (long) a);
    }

    public GgufBuilder kv(String key, GgufValueType type, Object value) {
        str(meta, key);
        u32(meta, type.ordinal());
        value(meta, type, value);
        kvCount++;
        return this;
    }

    public GgufBuilder array(String key, GgufValueType elementType, Object... values) {
        str(meta, key);
        u32(meta, GgufValueType.ARRAY.ordinal());
        arrayBody(meta, elementType, values);
        kvCount++;
        return this;
    }

    /** A tensor of {@code type} and {@code shape} whose bytes follow the previous tensor's. */
    GgufBuilder tensor(String name, GgmlType type, long... shape) {
        long elements = 1;
        for (long d : shape) {
            elements *= d;
        }
        long size = type.byteSize(elements);
        return tensorAt(name, type, dataSize, shape).reserve(size);
    }

    /** A tensor of {@code type} and {@code shape} holding {@code bytes}, after the previous tensor's. */
    public GgufBuilder tensor(String name, GgmlType type, byte[] bytes, long... shape) {
        long elements = 1;
        for (long d : shape) {
            elements *= d;
        }
        if (type.byteSize(elements) != bytes.length) {
            throw new IllegalArgumentException(name + ": " + bytes.length + " bytes for " + elements + " elements of " + type);
        }
        tensorAt(name, type, dataSize, shape);
        long padded = (bytes.length + alignment - 1L) / alignment * alignment;
        data.add(java.util.Arrays.copyOf(bytes, (int) padded));
        dataSize += padded;
        return this;
    }

    /** A tensor table entry with an explicit offset; reserves no data. */
    GgufBuilder tensorAt(String name, GgmlType type, long offset, long... shape) {
        str(infos, name);
        u32(infos, shape.length);
        for (long d : shape) {
            u64(infos, d);
        }
        u32(infos, type.id());
        u64(infos, offset);
        tensorCount++;
        return this;
    }

    GgufBuilder reserve(long bytes) {
        long padded = (bytes + alignment - 1) / alignment * alignment;
        data.add(new byte[(int) padded]);
        dataSize += padded;
        return this;
    }

    public byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        u32(out, GgufFile.MAGIC);
        u32(out, version);
        u64(out, tensorCount);
        u64(out, kvCount);
        out.writeBytes(meta.toByteArray());
        out.writeBytes(infos.toByteArray());
        while (out.size() % alignment != 0) {
            out.write(0);
        }
        for (byte[] d : data) {
            out.writeBytes(d);
        }
        return out.toByteArray();
    }

    private static void arrayBody(ByteArrayOutputStream out, GgufValueType elementType, Object[] values) {
        u32(out, elementType.ordinal());
        u64(out, values.length);
        for (Object v : values) {
            if (elementType == GgufValueType.ARRAY) {
                Object[] inner = (Object[]) v;
                arrayBody(out, (GgufValueType) inner[0], java.util.Arrays.copyOfRange(inner, 1, inner.length));
            } else {
                value(out, elementType, v);
            }
        }
    }

    private static void value(ByteArrayOutputStream out, GgufValueType type, Object v) {
        switch (type) {
            case UINT8, INT8 -> out.write(((Number) v).intValue());
            case UINT16, INT16 -> out.writeBytes(le(2).putShort(((Number) v).shortValue()).array());
            case UINT32, INT32 -> u32(out, ((Number) v).intValue());
            case FLOAT32 -> out.writeBytes(le(4).putFloat(((Number) v).floatValue()).array());
            case BOOL -> out.write((Boolean) v ? 1 : 0);
            case STRING -> str(out, (String) v);
            case UINT64, INT64 -> u64(out, ((Number) v).longValue());
            case FLOAT64 -> out.writeBytes(le(8).putDouble(((Number) v).doubleValue()).array());
            case ARRAY -> throw new IllegalArgumentException("use array()");
        }
    }

    static void str(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u64(out, b.length);
        out.writeBytes(b);
    }

    static void u32(ByteArrayOutputStream out, int v) {
        out.writeBytes(le(4).putInt(v).array());
    }

    static void u64(ByteArrayOutputStream out, long v) {
        out.writeBytes(le(8).putLong(v).array());
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }
}
