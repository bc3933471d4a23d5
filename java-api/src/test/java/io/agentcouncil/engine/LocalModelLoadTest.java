package io.agentcouncil.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentcouncil.TestModels;
import io.agentcouncil.UnsupportedModelException;
import io.agentcouncil.gguf.GgufFormatException;
import io.agentcouncil.natives.AgentCouncilNative;
import io.agentcouncil.natives.AgentCouncilNative.ContextHandle;
import io.agentcouncil.natives.AgentCouncilNative.ModelHandle;
import io.agentcouncil.natives.AgentCouncilNative.ModelParams;
import io.agentcouncil.natives.AgentCouncilNative.TensorDesc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files the engine must refuse, in Java before native code, and the C API's own checks. */
class LocalModelLoadTest {
    @TempDir
    Path dir;

    @Test
    void anotherArchitectureIsAnUnsupportedModelException() throws IOException {
        Path file = write("mamba.gguf", new SyntheticGguf().string("general.architecture", "mamba").u32("mamba.block_count", 18).build());
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class, () -> LocalModel.load(file));
        assertTrue(e.getMessage().contains("mamba") && e.getMessage().contains("gemma3"), e::getMessage);
    }

    @Test
    void aTensorTypeTheKernelsDoNotRunIsAnUnsupportedModelExceptionNamingIt() throws IOException {
        SyntheticGguf g = tinyLlama(256);
        // ffn_down in Q3_K (ggml type 11; 256-element blocks of 110 bytes).
        g.tensor("blk.0.ffn_down.weight", 11, 256 / 256 * 110 * 256L, 256, 256);
        Path file = write("q3k.gguf", g.build());
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class, () -> LocalModel.load(file));
        assertTrue(e.getMessage().contains("blk.0.ffn_down.weight") && e.getMessage().contains("Q3_K"), e::getMessage);
    }

    @Test
    void aTensorOfTheWrongShapeIsAGgufFormatException() throws IOException {
        SyntheticGguf g = tinyLlama(256);
        g.tensor("blk.0.ffn_down.weight", 0, 4L * 256 * 128, 256, 128); // rows should be n_embd 256
        Path file = write("shape.gguf", g.build());
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> LocalModel.load(file));
        assertTrue(e.getMessage().contains("blk.0.ffn_down.weight"), e::getMessage);
    }

    @Test
    void aTruncatedCopyOfSmolLm2IsAGgufFormatExceptionFromJava() throws IOException {
        Path original = TestModels.require(TestModels.SMOLLM2);
        Path truncated = dir.resolve("truncated.gguf");
        long keep = Files.size(original) * 2 / 3;
        try (InputStream in = Files.newInputStream(original); OutputStream out = Files.newOutputStream(truncated)) {
            byte[] buf = new byte[1 << 20];
            long left = keep;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                out.write(buf, 0, n);
                left -= n;
            }
        }
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> LocalModel.load(truncated));
        assertTrue(e.getMessage().contains("outside"), e::getMessage);
    }

    @Test
    void nativeNullsAndBadHandlesAreStatusesNotCrashes() {
        assertEquals(AgentCouncilNative.AC_ERR_INVALID_ARGUMENT, AgentCouncilNative.ac_model_load(null, new ModelHandle()));
        assertFalse(AgentCouncilNative.ac_last_error().isEmpty());
        assertEquals(AgentCouncilNative.AC_ERR_INVALID_ARGUMENT, AgentCouncilNative.ac_context_create(null, 16, 1, new ContextHandle()));
        try (IntPointer tokens = new IntPointer(1); FloatPointer logits = new FloatPointer(1)) {
            assertEquals(AgentCouncilNative.AC_ERR_INVALID_ARGUMENT, AgentCouncilNative.ac_eval(null, tokens, 1, 0, logits));
        }
        assertEquals(-1, AgentCouncilNative.ac_context_length(null));
        assertEquals(AgentCouncilNative.AC_ERR_INVALID_ARGUMENT, AgentCouncilNative.ac_kv_truncate(null, 0));
        assertEquals(AgentCouncilNative.AC_ERR_INVALID_ARGUMENT, AgentCouncilNative.ac_kv_copy(null, null, 0));
        AgentCouncilNative.ac_context_free(null);
        AgentCouncilNative.ac_model_free(null);
        assertEquals("AC_ERR_CONTEXT_FULL", AgentCouncilNative.ac_status_name(AgentCouncilNative.AC_ERR_CONTEXT_FULL));
        assertEquals(1, AgentCouncilNative.ac_tensor_type_supported(3)); // Q4_1
        assertEquals(1, AgentCouncilNative.ac_tensor_type_supported(12)); // Q4_K
        assertEquals(0, AgentCouncilNative.ac_tensor_type_supported(11)); // Q3_K
    }

    @Test
    void nativeLoadRechecksTheTableAgainstTheFile() throws IOException {
        Path smol = TestModels.require(TestModels.SMOLLM2);
        long size = Files.size(smol);
        // token_embd.weight [576, 49152] Q8_0 placed past the end of the file.
        long bytes = 49152L * 576 / 32 * 34;
        assertNativeLoad(smol, size, "llama", size - bytes + 32, bytes, AgentCouncilNative.AC_ERR_BAD_MODEL, "outside the file");
        assertNativeLoad(smol, size + 1, "llama", 0, bytes, AgentCouncilNative.AC_ERR_BAD_MODEL, "bytes on disk");
        assertNativeLoad(smol, size, "mamba", 0, bytes, AgentCouncilNative.AC_ERR_UNSUPPORTED, "mamba");
        assertNativeLoad(dir.resolve("missing.gguf"), size, "llama", 0, bytes, AgentCouncilNative.AC_ERR_IO, "cannot open");
        assertNativeLoad(smol, size, "llama", 0, bytes - 34, AgentCouncilNative.AC_ERR_BAD_MODEL, "size");
    }

    private static void assertNativeLoad(Path path, long fileSize, String arch, long offset, long bytes, int status, String text) {
        try (ModelParams p = new ModelParams(); TensorDesc t = new TensorDesc(1); BytePointer name = new BytePointer("token_embd.weight");
                BytePointer pathString = new BytePointer(path.toString()); BytePointer archString = new BytePointer(arch)) {
            t.name(name).type(8).n_dims(2).ne(0, 576).ne(1, 49152).ne(2, 1).ne(3, 1).offset(offset).size(bytes);
            p.path(pathString).file_size(fileSize).architecture(archString).tensors(t).n_tensors(1).n_vocab(49152).n_embd(576)
                    .n_layer(30).n_head(9).n_head_kv(3).n_ff(1536).head_dim(64).n_rot(64).rope_freq_base(100000f).rms_norm_eps(1e-5f);
            ModelHandle handle = new ModelHandle();
            int got = AgentCouncilNative.ac_model_load(p, handle);
            String message = AgentCouncilNative.ac_last_error();
            assertEquals(AgentCouncilNative.ac_status_name(status), AgentCouncilNative.ac_status_name(got), message);
            assertTrue(message.contains(text), message);
            assertTrue(handle.isNull());
        }
    }

    /** A llama header with n_embd = n_ff = vocab = {@code n}, one layer and one head, minus ffn_down. */
    private static SyntheticGguf tinyLlama(int n) {
        SyntheticGguf g = new SyntheticGguf()
                .string("general.architecture", "llama")
                .u32("llama.context_length", 64)
                .u32("llama.embedding_length", n)
                .u32("llama.block_count", 1)
                .u32("llama.feed_forward_length", n)
                .u32("llama.attention.head_count", 1)
                .u32("llama.attention.head_count_kv", 1)
                .f32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
        long matrix = 4L * n * n;
        g.tensor("token_embd.weight", 0, matrix, n, n);
        g.tensor("output_norm.weight", 0, 4L * n, n);
        g.tensor("blk.0.attn_norm.weight", 0, 4L * n, n);
        g.tensor("blk.0.ffn_norm.weight", 0, 4L * n, n);
        for (String w : new String[] {"attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up"}) {
            g.tensor("blk.0." + w + ".weight", 0, matrix, n, n);
        }
        return g;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }
}
