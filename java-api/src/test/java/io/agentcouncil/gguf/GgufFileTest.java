package io.agentcouncil.gguf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reader against files written byte by byte: every value type, both versions, every check. */
class GgufFileTest {
    @TempDir
    Path dir;

    private GgufFile open(byte[] bytes) throws IOException {
        Path p = Files.createTempFile(dir, "t", ".gguf");
        Files.write(p, bytes);
        return GgufFile.open(p);
    }

    private GgufFormatException rejects(byte[] bytes) {
        return assertThrows(GgufFormatException.class, () -> open(bytes).close());
    }

    private static void put32(byte[] b, int at, int v) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, v);
    }

    private static void put64(byte[] b, int at, long v) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(at, v);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void readsEveryValueTypeInBothVersions(int version) throws IOException {
        byte[] file = new GgufBuilder().version(version)
                .kv("u8", GgufValueType.UINT8, 200)
                .kv("i8", GgufValueType.INT8, -5)
                .kv("u16", GgufValueType.UINT16, 60000)
                .kv("i16", GgufValueType.INT16, -300)
                .kv("u32", GgufValueType.UINT32, 0xFFFFFFF0)
                .kv("i32", GgufValueType.INT32, -70000)
                .kv("f32", GgufValueType.FLOAT32, 1.5f)
                .kv("bool", GgufValueType.BOOL, true)
                .kv("str", GgufValueType.STRING, "héllo ✓")
                .kv("u64", GgufValueType.UINT64, 1L << 40)
                .kv("i64", GgufValueType.INT64, -(1L << 40))
                .kv("f64", GgufValueType.FLOAT64, 2.25)
                .array("strs", GgufValueType.STRING, "a", "", "ü")
                .array("floats", GgufValueType.FLOAT32, 0.5f, -1f)
                .array("ints", GgufValueType.INT32, 1, -2, 3)
                .array("bytes", GgufValueType.UINT8, 255, 0)
                .array("longs", GgufValueType.UINT64, 7L)
                .array("bools", GgufValueType.BOOL, true, false)
                .array("nested", GgufValueType.ARRAY,
                        (Object) new Object[] {GgufValueType.INT16, 1, 2},
                        (Object) new Object[] {GgufValueType.ARRAY, new Object[] {GgufValueType.STRING, "deep"}})
                .build();
        try (GgufFile g = open(file)) {
            GgufMetadata md = g.metadata();
            assertEquals(version, g.version());
            assertEquals(200, md.getInt("u8"));
            assertEquals(-5, md.getInt("i8"));
            assertEquals(60000, md.getInt("u16"));
            assertEquals(-300, md.getInt("i16"));
            assertEquals(0xFFFFFFF0L, md.getLong("u32"));
            assertEquals(-70000, md.getInt("i32"));
            assertEquals(1.5, md.getDouble("f32"));
            assertTrue(md.getBoolean("bool", false));
            assertEquals("héllo ✓", md.getString("str"));
            assertEquals(1L << 40, md.getLong("u64"));
            assertEquals(-(1L << 40), md.getLong("i64"));
            assertEquals(2.25, md.getDouble("f64"));
            assertArrayEquals(new String[] {"a", "", "ü"}, md.getStringArray("strs"));
            assertArrayEquals(new float[] {0.5f, -1f}, md.getFloatArray("floats"));
            assertArrayEquals(new int[] {1, -2, 3}, md.getIntArray("ints"));
            assertArrayEquals(new int[] {255, 0}, md.getIntArray("bytes"));
            assertArrayEquals(new long[] {7L}, (long[]) md.get("longs"));
            assertArrayEquals(new boolean[] {true, false}, (boolean[]) md.get("bools"));
            Object[] nested = (Object[]) md.get("nested");
            assertArrayEquals(new int[] {1, 2}, (int[]) nested[0]);
            assertArrayEquals(new String[] {"deep"}, (String[]) ((Object[]) nested[1])[0]);
            assertEquals(GgufValueType.ARRAY, md.elementType("nested"));
            assertEquals(19, md.keys().size());
            assertEquals(0, g.tensors().size());
        }
    }

    @Test
    void tensorTableHonoursAlignmentAndComputesSizes() throws IOException {
        byte[] file = new GgufBuilder().alignment(64)
                .tensor("a", GgmlType.F32, 3, 2)
                .tensor("b", GgmlType.Q4_0, 64, 2)
                .tensor("c", GgmlType.Q6_K, 256)
                .build();
        try (GgufFile g = open(file)) {
            assertEquals(64, g.alignment());
            assertEquals(0, g.dataOffset() % 64);
            GgufTensor a = g.tensor("a");
            assertEquals(24, a.byteSize());
            assertEquals(g.dataOffset(), a.fileOffset());
            assertArrayEquals(new long[] {3, 2}, a.shape());
            GgufTensor b = g.tensor("b");
            assertEquals(2 * 2 * 18, b.byteSize());
            assertEquals(g.dataOffset() + 64, b.fileOffset());
            assertEquals(210, g.tensor("c").byteSize());
            assertEquals(GgmlType.Q6_K, g.tensor("c").type());
            assertNull(g.tensor("missing"));
            assertEquals(24, g.map(a).capacity());
        }
    }

    @Test
    void rejectsWrongMagicAndVersions() {
        byte[] ok = new GgufBuilder().kv("k", GgufValueType.UINT8, 1).build();
        byte[] magic = ok.clone();
        magic[0] = 'X';
        assertTrue(rejects(magic).getMessage().contains("not a GGUF file"));
        for (int v : new int[] {0, 1, 4, 0x7FFFFFFF}) {
            byte[] bad = ok.clone();
            put32(bad, 4, v);
            GgufFormatException e = rejects(bad);
            assertEquals("header.version", e.field());
            assertEquals(4, e.offset());
        }
        byte[] bigEndian = ok.clone();
        put32(bigEndian, 4, Integer.reverseBytes(3));
        assertTrue(rejects(bigEndian).getMessage().contains("big-endian"));
        rejects(new byte[0]);
        rejects(new byte[] {'G', 'G', 'U', 'F', 3});
    }

    @Test
    void lyingCountsFailBeforeAnyAllocation() {
        byte[] ok = new GgufBuilder().array("a", GgufValueType.STRING, "x").tensor("t", GgmlType.F32, 8).build();
        byte[] tensors = ok.clone();
        put64(tensors, 8, Long.MAX_VALUE);
        assertEquals("header.tensor_count", rejects(tensors).field());
        byte[] kvs = ok.clone();
        put64(kvs, 16, 1L << 40);
        assertEquals("header.metadata_kv_count", rejects(kvs).field());
        // key "a": 24 header + 8 length + 1 char, then type (4), element type (4), count (8)
        byte[] count = ok.clone();
        put64(count, 24 + 9 + 8, 1L << 61);
        GgufFormatException e = rejects(count);
        assertEquals("metadata[\"a\"].count", e.field());
        assertEquals(24 + 9 + 8, e.offset());
        byte[] length = ok.clone();
        put64(length, 24, -1L);
        assertTrue(rejects(length).getMessage().contains("runs past the end"));
        byte[] stringLength = ok.clone();
        put64(stringLength, 24 + 9 + 16, 1L << 50);
        rejects(stringLength);
    }

    @Test
    void rejectsBadValues() {
        byte[] type = new GgufBuilder().kv("k", GgufValueType.UINT8, 1).build();
        put32(type, 24 + 9, 13);
        assertTrue(rejects(type).getMessage().contains("unknown value type 13"));
        byte[] bool = new GgufBuilder().kv("k", GgufValueType.BOOL, true).build();
        bool[24 + 9 + 4] = 2;
        assertTrue(rejects(bool).getMessage().contains("neither 0 nor 1"));
        GgufFormatException dup = rejects(new GgufBuilder().kv("k", GgufValueType.UINT8, 1).kv("k", GgufValueType.UINT8, 2).build());
        assertTrue(dup.getMessage().contains("duplicate key"));
        rejects(new GgufBuilder().kv("", GgufValueType.UINT8, 1).build());
        Object deep = new Object[] {GgufValueType.INT8, 1};
        for (int i = 0; i < 20; i++) {
            deep = new Object[] {GgufValueType.ARRAY, deep};
        }
        assertTrue(rejects(new GgufBuilder().array("deep", GgufValueType.ARRAY, deep).build()).getMessage().contains("nested deeper"));
    }

    @Test
    void rejectsBadAlignment() {
        assertTrue(rejects(new GgufBuilder().kv("general.alignment", GgufValueType.UINT32, 48L).build())
                .getMessage().contains("not a power of two"));
        assertTrue(rejects(new GgufBuilder().kv("general.alignment", GgufValueType.UINT32, 0L).build())
                .getMessage().contains("not a power of two"));
        assertTrue(rejects(new GgufBuilder().kv("general.alignment", GgufValueType.STRING, "32").build())
                .getMessage().contains("expected UINT32"));
    }

    @Test
    void rejectsBadTensorInfos() {
        assertTrue(rejects(new GgufBuilder().tensor("t", GgmlType.F32, 4).tensor("t", GgmlType.F32, 4).build())
                .getMessage().contains("duplicate tensor name"));
        assertTrue(rejects(new GgufBuilder().tensorAt("t", GgmlType.F32, 0).reserve(32).build())
                .getMessage().contains("n_dims 0"));
        assertTrue(rejects(new GgufBuilder().tensorAt("t", GgmlType.F32, 0, 1, 1, 1, 1, 1).reserve(32).build())
                .getMessage().contains("n_dims 5"));
        assertTrue(rejects(new GgufBuilder().tensorAt("t", GgmlType.F32, 0, -1L).build()).getMessage().contains("too large"));
        assertTrue(rejects(new GgufBuilder().tensorAt("t", GgmlType.F32, 0, 1L << 32, 1L << 32).build())
                .getMessage().contains("overflows"));
        assertTrue(rejects(new GgufBuilder().tensorAt("t", GgmlType.Q4_0, 0, 33).reserve(64).build())
                .getMessage().contains("whole number of Q4_0 blocks"));
        assertTrue(rejects(new GgufBuilder().tensorAt("t", GgmlType.F32, 4, 4).reserve(64).build())
                .getMessage().contains("not a multiple of the alignment"));
        assertTrue(rejects(new GgufBuilder().tensorAt("t", GgmlType.F32, 0, 64).reserve(32).build())
                .getMessage().contains("outside the data section"));
        assertTrue(rejects(new GgufBuilder().tensorAt("a", GgmlType.F32, 0, 16).tensorAt("b", GgmlType.F32, 32, 16).reserve(128).build())
                .getMessage().contains("overlaps"));
        byte[] type = new GgufBuilder().tensor("t", GgmlType.F32, 8).build();
        int typeAt = 24 + 9 + 4 + 8;
        for (int retired : new int[] {4, 5, 31, 40, -1}) {
            put32(type, typeAt, retired);
            assertTrue(rejects(type).getMessage().contains("unknown tensor type"), "type " + retired);
        }
    }

    @Test
    void typedGettersNameTheKey() throws IOException {
        try (GgufFile g = open(new GgufBuilder().kv("general.name", GgufValueType.UINT8, 1).build())) {
            GgufFormatException e = assertThrows(GgufFormatException.class, () -> g.metadata().getString("general.name"));
            assertTrue(e.getMessage().contains("metadata[\"general.name\"]") && e.getMessage().contains("expected STRING, found UINT8"), e.getMessage());
            assertTrue(assertThrows(GgufFormatException.class, () -> g.architecture()).getMessage().contains("missing"));
        }
    }
}
