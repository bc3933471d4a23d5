package io.agentcouncil.engine;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes a minimal GGUF v3 file: string, uint32 and float32 metadata, and zero-filled tensors. */
final class SyntheticGguf {
    private final ByteArrayOutputStream meta = new ByteArrayOutputStream();
    private final ByteArrayOutputStream infos = new ByteArrayOutputStream();
    private int kvCount;
    private int tensorCount;
    private long dataSize;

    SyntheticGguf string(String key, String value) {
        str(meta, key);
        u32(meta, 8);
        str(meta, value);
        kvCount++;
        return this;
    }

    SyntheticGguf u32(String key, int value) {
        str(meta, key);
        u32(meta, 4);
        u32(meta, value);
        kvCount++;
        return this;
    }

    SyntheticGguf f32(String key, float value) {
        str(meta, key);
        u32(meta, 6);
        u32(meta, Float.floatToIntBits(value));
        kvCount++;
        return this;
    }

    /** A tensor of ggml type {@code typeId} with {@code bytes} bytes of zeros. */
    SyntheticGguf tensor(String name, int typeId, long bytes, long... shape) {
        str(infos, name);
        u32(infos, shape.length);
        for (long d : shape) {
            u64(infos, d);
        }
        u32(infos, typeId);
        u64(infos, dataSize);
        dataSize += (bytes + 31) / 32 * 32;
        tensorCount++;
        return this;
    }

    byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        u32(out, 0x46554747);
        u32(out, 3);
        u64(out, tensorCount);
        u64(out, kvCount);
        out.writeBytes(meta.toByteArray());
        out.writeBytes(infos.toByteArray());
        while (out.size() % 32 != 0) {
            out.write(0);
        }
        out.writeBytes(new byte[(int) dataSize]);
        return out.toByteArray();
    }

    private static void str(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u64(out, b.length);
        out.writeBytes(b);
    }

    private static void u32(ByteArrayOutputStream out, int v) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    private static void u64(ByteArrayOutputStream out, long v) {
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }
}
