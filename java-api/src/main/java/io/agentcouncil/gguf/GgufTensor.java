package io.agentcouncil.gguf;

import java.util.Arrays;

/**
 * One validated entry of the tensor table. {@code shape[0]} is the innermost (contiguous)
 * dimension, as in ggml. {@code fileOffset} is absolute and {@code fileOffset + byteSize} lies
 * inside the file.
 */
public record GgufTensor(String name, GgmlType type, long[] shape, long fileOffset, long byteSize) {

    public GgufTensor {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int dims() {
        return shape.length;
    }

    public long dim(int i) {
        return shape[i];
    }

    public long elements() {
        long n = 1;
        for (long d : shape) {
            n *= d; // validated against overflow when the table was read
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensor t && name.equals(t.name) && type == t.type
                && Arrays.equals(shape, t.shape) && fileOffset == t.fileOffset && byteSize == t.byteSize;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Long.hashCode(fileOffset);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(shape) + " @" + fileOffset + " (" + byteSize + " B)";
    }
}
