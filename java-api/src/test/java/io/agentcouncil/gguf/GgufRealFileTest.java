package io.agentcouncil.gguf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentcouncil.TestModels;
import io.agentcouncil.models.ModelRoster;
import io.agentcouncil.models.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The reader on the real roster files, checked against llama.cpp's own Python reader ({@code gguf}),
 * and the real SmolLM2 file cut short and bit-flipped: every damaged file opens or fails with a
 * {@link GgufFormatException}, never anything else.
 */
class GgufRealFileTest {
    @TempDir
    Path dir;

    static Stream<String> rosterNames() {
        return ModelRoster.get().models().stream().map(ModelSpec::name);
    }

    @ParameterizedTest
    @MethodSource("rosterNames")
    void matchesLlamaCppsPythonReader(String name) throws IOException {
        JsonNode ref;
        try (InputStream in = getClass().getResourceAsStream("/reference/gguf-" + name + ".json")) {
            assertNotNull(in, "no reference layout for " + name + ": run scripts/reference/gguf_tables.py");
            ref = new ObjectMapper().readTree(in);
        }
        try (GgufFile g = GgufFile.open(TestModels.require(name))) {
            assertEquals(ref.get("version").asInt(), g.version());
            assertEquals(ref.get("alignment").asInt(), g.alignment());
            assertEquals(ref.get("data_offset").asLong(), g.dataOffset());
            JsonNode types = ref.get("metadata_types");
            assertEquals(types.size(), g.metadata().keys().size());
            for (Iterator<String> it = types.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                JsonNode t = types.get(key);
                assertEquals(t.get(0).asInt(), g.metadata().type(key).ordinal(), key);
                if (t.size() > 1) {
                    assertEquals(t.get(1).asInt(), g.metadata().elementType(key).ordinal(), key);
                }
            }
            JsonNode tensors = ref.get("tensors");
            assertEquals(tensors.size(), g.tensors().size());
            for (int i = 0; i < tensors.size(); i++) {
                JsonNode t = tensors.get(i);
                GgufTensor mine = g.tensors().get(i);
                assertEquals(t.get("name").asText(), mine.name());
                assertEquals(t.get("type").asInt(), mine.type().id(), mine.name());
                long[] shape = new long[t.get("shape").size()];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = t.get("shape").get(d).asLong();
                }
                assertArrayEquals(shape, mine.shape(), mine.name());
                assertEquals(t.get("offset").asLong(), mine.fileOffset(), mine.name());
                assertEquals(t.get("bytes").asLong(), mine.byteSize(), mine.name());
            }
        }
    }

    @Test
    void everyTruncationIsAFormatError() throws IOException {
        Path source = TestModels.require(TestModels.SMOLLM2);
        long dataOffset;
        TreeSet<Long> cuts = new TreeSet<>();
        try (GgufFile g = GgufFile.open(source)) {
            dataOffset = g.dataOffset();
            for (long c = 0; c < 512; c++) {
                cuts.add(c);
            }
            Random r = new Random(42);
            for (int i = 0; i < 200; i++) {
                cuts.add((long) (r.nextDouble() * dataOffset));
            }
            for (GgufTensor t : g.tensors().subList(0, 5)) {
                cuts.add(t.fileOffset() + t.byteSize() - 1); // inside the data section
            }
            cuts.add(g.fileSize() - 1);
        }
        Path copy = dir.resolve("cut.gguf");
        Files.copy(source, copy);
        // Largest cut first: the copy is truncated in place, one copy for every cut.
        for (long cut : cuts.descendingSet()) {
            try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                ch.truncate(cut);
            }
            assertThrows(GgufFormatException.class, () -> GgufFile.open(copy).close(), "cut at " + cut);
        }
    }

    @Test
    void flippedHeaderBytesNeverEscapeAsOtherExceptions() throws IOException {
        Path copy = dir.resolve("flip.gguf");
        Files.copy(TestModels.require(TestModels.SMOLLM2), copy);
        long dataOffset;
        try (GgufFile g = GgufFile.open(copy)) {
            dataOffset = g.dataOffset();
        }
        List<Long> positions = new ArrayList<>();
        for (long p = 0; p < 1024; p++) {
            positions.add(p);
        }
        Random r = new Random(7);
        for (int i = 0; i < 400; i++) {
            positions.add((long) (r.nextDouble() * dataOffset));
        }
        int rejected = 0;
        try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            for (long p : positions) {
                for (int mask : new int[] {0x01, 0x80, 0xFF}) {
                    one.clear();
                    ch.read(one, p);
                    byte original = one.get(0);
                    ch.write(ByteBuffer.wrap(new byte[] {(byte) (original ^ mask)}), p);
                    try {
                        GgufFile.open(copy).close();
                    } catch (GgufFormatException expected) {
                        rejected++;
                    } catch (Throwable t) {
                        fail("flip 0x" + Integer.toHexString(mask) + " at " + p + " escaped as " + t, t);
                    } finally {
                        ch.write(ByteBuffer.wrap(new byte[] {original}), p);
                    }
                }
            }
        }
        // The first 24 header bytes alone hold magic, version and counts: those flips must be caught.
        assertTrue(rejected >= 24 * 3, "only " + rejected + " flips were rejected");
    }
}
