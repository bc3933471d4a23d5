package io.agentcouncil.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GGUF model file (versions 2 and 3), opened read-only and memory-mapped. {@link #open} parses
 * and validates the header, the metadata and the tensor table; tensor data is never read here,
 * only mapped on request. Any inconsistency, from a wrong magic to a tensor reaching past the end
 * of the file, is a {@link GgufFormatException} naming the field and its offset.
 */
public final class GgufFile implements AutoCloseable {

    public static final int MAGIC = 0x46554747; // "GGUF" read little-endian
    public static final int DEFAULT_ALIGNMENT = 32;
    public static final int MAX_DIMS = 4;

    private final Path path;
    private final FileChannel channel;
    private final long fileSize;
    private final int version;
    private final GgufMetadata metadata;
    private final List<GgufTensor> tensors;
    private final Map<String, GgufTensor> tensorsByName;
    private final int alignment;
    private final long dataOffset;

    private GgufFile(Path path, FileChannel channel, long fileSize, Parser p) {
        this.path = path;
        this.channel = channel;
        this.fileSize = fileSize;
        this.version = p.version;
        this.metadata = p.metadata;
        this.tensors = Collections.unmodifiableList(p.tensors);
        this.tensorsByName = p.tensorsByName;
        this.alignment = p.alignment;
        this.dataOffset = p.dataOffset;
    }

    /**
     * Opens and validates {@code path}.
     *
     * @throws GgufFormatException if the file is not a well-formed GGUF file
     * @throws IOException if it cannot be read at all
     */
    public static GgufFile open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long size = channel.size();
            // The header is parsed from one mapping; pages are only touched as the parser reads.
            ByteBuffer header = channel.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(size, Integer.MAX_VALUE))
                    .order(ByteOrder.LITTLE_ENDIAN);
            Parser parser = new Parser(header, size);
            parser.parse();
            return new GgufFile(path, channel, size, parser);
        } catch (RuntimeException | IOException e) {
            channel.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    public long fileSize() {
        return fileSize;
    }

    public int version() {
        return version;
    }

    public GgufMetadata metadata() {
        return metadata;
    }

    /** Tensors in file-table order. */
    public List<GgufTensor> tensors() {
        return tensors;
    }

    /** The tensor with this name, or null. */
    public GgufTensor tensor(String name) {
        return tensorsByName.get(name);
    }

    public int alignment() {
        return alignment;
    }

    /** Absolute offset of the tensor data section. */
    public long dataOffset() {
        return dataOffset;
    }

    /** {@code general.architecture}, the key prefix of the model's hyper-parameters. */
    public String architecture() {
        return metadata.getString("general.architecture");
    }

    /** Maps one tensor's bytes, little-endian. Tensors over 2 GiB are left to the native layer. */
    public MappedByteBuffer map(GgufTensor tensor) throws IOException {
        if (tensor.byteSize() > Integer.MAX_VALUE) {
            throw new IOException("tensor " + tensor.name() + " is " + tensor.byteSize() + " bytes, more than one Java mapping holds");
        }
        MappedByteBuffer b = channel.map(FileChannel.MapMode.READ_ONLY, tensor.fileOffset(), tensor.byteSize());
        b.order(ByteOrder.LITTLE_ENDIAN);
        return b;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "GgufFile[" + path + ", v" + version + ", " + metadata.keys().size() + " keys, " + tensors.size() + " tensors]";
    }

    /** Reads the header region; every read is bounds-checked against what the file really holds. */
    private static final class Parser {
        private static final int MAX_ARRAY_NESTING = 16;

        private final ByteBuffer buf;
        private final long fileSize;
        private byte[] scratch = new byte[256];

        int version;
        GgufMetadata metadata;
        final List<GgufTensor> tensors = new ArrayList<>();
        final Map<String, GgufTensor> tensorsByName = new HashMap<>();
        int alignment = DEFAULT_ALIGNMENT;
        long dataOffset;

        Parser(ByteBuffer buf, long fileSize) {
            this.buf = buf;
            this.fileSize = fileSize;
        }

        void parse() {
            int magic = i32("header.magic");
            if (magic != MAGIC) {
                throw new GgufFormatException("header.magic", 0, String.format(
                        "not a GGUF file (magic 0x%08x, expected 0x%08x \"GGUF\")", magic, MAGIC));
            }
            version = i32("header.version");
            if (version != 2 && version != 3) {
                String hint = Integer.reverseBytes(version) == 2 || Integer.reverseBytes(version) == 3
                        ? " (a big-endian file; only little-endian is supported)" : "";
                throw new GgufFormatException("header.version", 4,
                        "unsupported version " + Integer.toUnsignedString(version) + ", expected 2 or 3" + hint);
            }
            long tensorCount = count("header.tensor_count", 8 + 4 + 8 + 4 + 8); // name, n_dims, dim, type, offset
            long kvCount = count("header.metadata_kv_count", 8 + 4);
            readMetadata(kvCount);
            readTensorInfos(tensorCount);
            long end = buf.position();
            dataOffset = align(end);
            if (dataOffset > fileSize) {
                throw new GgufFormatException("data", end, "data section starts at " + dataOffset + ", past the end of the file (" + fileSize + " bytes)");
            }
            validateTensorPlacement();
        }

        private void readMetadata(long kvCount) {
            LinkedHashMap<String, GgufMetadata.Entry> entries = new LinkedHashMap<>();
            for (long i = 0; i < kvCount; i++) {
                long keyOffset = buf.position();
                String key = string("metadata[" + i + "].key");
                if (key.isEmpty()) {
                    throw new GgufFormatException("metadata[" + i + "].key", keyOffset, "empty key");
                }
                String field = "metadata[\"" + key + "\"]";
                if (entries.containsKey(key)) {
                    throw new GgufFormatException(field, keyOffset, "duplicate key");
                }
                long valueOffset = buf.position();
                GgufValueType type = valueType(field + ".type");
                GgufValueType elementType = null;
                Object value;
                if (type == GgufValueType.ARRAY) {
                    elementType = valueType(field + ".element_type");
                    value = arrayBody(field, elementType, 1);
                } else {
                    value = scalar(field, type);
                }
                entries.put(key, new GgufMetadata.Entry(type, elementType, value, valueOffset));
            }
            metadata = new GgufMetadata(entries);
            if (metadata.has("general.alignment")) {
                GgufMetadata.Entry a = entries.get("general.alignment");
                if (a.type() != GgufValueType.UINT32) {
                    throw new GgufFormatException("metadata[\"general.alignment\"]", a.offset(), "expected UINT32, found " + a.type());
                }
                long v = (Long) a.value();
                if (v == 0 || Long.bitCount(v) != 1 || v > (1 << 30)) {
                    throw new GgufFormatException("metadata[\"general.alignment\"]", a.offset(), "alignment " + v + " is not a power of two");
                }
                alignment = (int) v;
            }
        }

        private Object scalar(String field, GgufValueType type) {
            return switch (type) {
                case UINT8 -> u8(field);
                case INT8 -> (int) i8(field);
                case UINT16 -> u16(field);
                case INT16 -> (int) i16(field);
                case UINT32 -> Integer.toUnsignedLong(i32(field));
                case INT32 -> i32(field);
                case FLOAT32 -> Float.intBitsToFloat(i32(field));
                case BOOL -> bool(field);
                case STRING -> string(field);
                case UINT64, INT64 -> i64(field);
                case FLOAT64 -> Double.longBitsToDouble(i64(field));
                case ARRAY -> throw new IllegalStateException("arrays are read by arrayBody");
            };
        }

        private Object arrayBody(String field, GgufValueType elementType, int depth) {
            long countOffset = buf.position();
            long n = i64(field + ".count");
            if (n < 0 || n > buf.remaining() / elementType.minBytes) {
                throw new GgufFormatException(field + ".count", countOffset, "array of " + Long.toUnsignedString(n)
                        + " " + elementType + " values cannot fit in the " + buf.remaining() + " bytes left");
            }
            int count = (int) n;
            switch (elementType) {
                case UINT8, INT8, UINT16, INT16, INT32 -> {
                    int[] a = new int[count];
                    for (int i = 0; i < count; i++) {
                        a[i] = ((Number) scalar(field, elementType)).intValue();
                    }
                    return a;
                }
                case UINT32, UINT64, INT64 -> {
                    long[] a = new long[count];
                    for (int i = 0; i < count; i++) {
                        a[i] = ((Number) scalar(field, elementType)).longValue();
                    }
                    return a;
                }
                case FLOAT32 -> {
                    float[] a = new float[count];
                    for (int i = 0; i < count; i++) {
                        a[i] = Float.intBitsToFloat(buf.getInt());
                    }
                    return a;
                }
                case FLOAT64 -> {
                    double[] a = new double[count];
                    for (int i = 0; i < count; i++) {
                        a[i] = Double.longBitsToDouble(buf.getLong());
                    }
                    return a;
                }
                case BOOL -> {
                    boolean[] a = new boolean[count];
                    for (int i = 0; i < count; i++) {
                        a[i] = bool(field);
                    }
                    return a;
                }
                case STRING -> {
                    String[] a = new String[count];
                    for (int i = 0; i < count; i++) {
                        a[i] = string(field);
                    }
                    return a;
                }
                case ARRAY -> {
                    if (depth >= MAX_ARRAY_NESTING) {
                        throw new GgufFormatException(field, countOffset, "arrays nested deeper than " + MAX_ARRAY_NESTING);
                    }
                    Object[] a = new Object[count];
                    for (int i = 0; i < count; i++) {
                        String inner = field + "[" + i + "]";
                        a[i] = arrayBody(inner, valueType(inner + ".element_type"), depth + 1);
                    }
                    return a;
                }
                default -> throw new IllegalStateException(elementType.name());
            }
        }

        private void readTensorInfos(long tensorCount) {
            for (int i = 0; i < tensorCount; i++) {
                String field = "tensor[" + i + "]";
                long start = buf.position();
                String name = string(field + ".name");
                field = "tensor[" + i + " \"" + name + "\"]";
                if (tensorsByName.containsKey(name)) {
                    throw new GgufFormatException(field + ".name", start, "duplicate tensor name");
                }
                long dimsOffset = buf.position();
                int nDims = i32(field + ".n_dims");
                if (nDims < 1 || nDims > MAX_DIMS) {
                    throw new GgufFormatException(field + ".n_dims", dimsOffset, "n_dims " + Integer.toUnsignedString(nDims) + " outside 1.." + MAX_DIMS);
                }
                long[] shape = new long[nDims];
                long elements = 1;
                for (int d = 0; d < nDims; d++) {
                    long at = buf.position();
                    shape[d] = i64(field + ".ne[" + d + "]");
                    if (shape[d] < 0) {
                        throw new GgufFormatException(field + ".ne[" + d + "]", at, "dimension " + Long.toUnsignedString(shape[d]) + " too large");
                    }
                    try {
                        elements = Math.multiplyExact(elements, shape[d]);
                    } catch (ArithmeticException e) {
                        throw new GgufFormatException(field + ".ne", dimsOffset, "element count overflows 64 bits");
                    }
                }
                long typeOffset = buf.position();
                int typeId = i32(field + ".type");
                GgmlType type = GgmlType.byId(Integer.toUnsignedLong(typeId));
                if (type == null) {
                    throw new GgufFormatException(field + ".type", typeOffset, "unknown tensor type " + Integer.toUnsignedString(typeId));
                }
                if (shape[0] % type.blockSize() != 0) {
                    throw new GgufFormatException(field + ".ne[0]", dimsOffset + 4, "row of " + shape[0] + " elements is not a whole number of "
                            + type + " blocks of " + type.blockSize());
                }
                long relOffset = i64(field + ".offset");
                long size;
                try {
                    size = type.byteSize(elements);
                } catch (ArithmeticException e) {
                    throw new GgufFormatException(field + ".ne", dimsOffset, "byte size overflows 64 bits");
                }
                // Absolute offsets are fixed once the data section is known; keep the relative one for now.
                GgufTensor t = new GgufTensor(name, type, shape, relOffset, size);
                tensors.add(t);
                tensorsByName.put(name, t);
            }
        }

        private void validateTensorPlacement() {
            long dataSize = fileSize - dataOffset;
            List<GgufTensor> absolute = new ArrayList<>(tensors.size());
            for (int i = 0; i < tensors.size(); i++) {
                GgufTensor t = tensors.get(i);
                String field = "tensor[" + i + " \"" + t.name() + "\"].offset";
                long rel = t.fileOffset();
                if (rel < 0 || rel % alignment != 0) {
                    throw new GgufFormatException(field, -1, "offset " + Long.toUnsignedString(rel) + " is not a multiple of the alignment " + alignment);
                }
                if (rel > dataSize || t.byteSize() > dataSize - rel) {
                    throw new GgufFormatException(field, -1, "tensor data [" + rel + ", +" + t.byteSize() + ") lies outside the data section of "
                            + dataSize + " bytes (file truncated?)");
                }
                GgufTensor abs = new GgufTensor(t.name(), t.type(), t.shape(), dataOffset + rel, t.byteSize());
                absolute.add(abs);
                tensorsByName.put(t.name(), abs);
            }
            tensors.clear();
            tensors.addAll(absolute);
            List<GgufTensor> byOffset = new ArrayList<>(absolute);
            byOffset.sort(Comparator.comparingLong(GgufTensor::fileOffset));
            for (int i = 1; i < byOffset.size(); i++) {
                GgufTensor prev = byOffset.get(i - 1);
                GgufTensor cur = byOffset.get(i);
                if (prev.fileOffset() + prev.byteSize() > cur.fileOffset()) {
                    throw new GgufFormatException("tensor \"" + cur.name() + "\".offset", -1, "overlaps tensor \"" + prev.name() + "\"");
                }
            }
        }

        private long align(long offset) {
            long rem = offset % alignment;
            return rem == 0 ? offset : offset + (alignment - rem);
        }

        private long count(String field, int minBytesEach) {
            long at = buf.position();
            long n = i64(field);
            if (n < 0 || n > buf.remaining() / minBytesEach) {
                throw new GgufFormatException(field, at, "count " + Long.toUnsignedString(n) + " cannot fit in the " + buf.remaining() + " bytes left");
            }
            return n;
        }

        private GgufValueType valueType(String field) {
            long at = buf.position();
            int id = i32(field);
            GgufValueType t = GgufValueType.byId(Integer.toUnsignedLong(id));
            if (t == null) {
                throw new GgufFormatException(field, at, "unknown value type " + Integer.toUnsignedString(id));
            }
            return t;
        }

        private String string(String field) {
            long at = buf.position();
            long len = i64(field + ".length");
            if (len < 0 || len > buf.remaining()) {
                throw new GgufFormatException(field, at, "string of " + Long.toUnsignedString(len) + " bytes runs past the end of the file");
            }
            int n = (int) len;
            if (scratch.length < n) {
                scratch = new byte[Math.max(n, scratch.length * 2)];
            }
            buf.get(scratch, 0, n);
            return new String(scratch, 0, n, java.nio.charset.StandardCharsets.UTF_8);
        }

        private boolean bool(String field) {
            long at = buf.position();
            int b = u8(field);
            if (b > 1) {
                throw new GgufFormatException(field, at, "boolean byte " + b + " is neither 0 nor 1");
            }
            return b == 1;
        }

        private int u8(String field) {
            need(field, 1);
            return buf.get() & 0xff;
        }

        private byte i8(String field) {
            need(field, 1);
            return buf.get();
        }

        private int u16(String field) {
            need(field, 2);
            return buf.getShort() & 0xffff;
        }

        private short i16(String field) {
            need(field, 2);
            return buf.getShort();
        }

        private int i32(String field) {
            need(field, 4);
            return buf.getInt();
        }

        private long i64(String field) {
            need(field, 8);
            return buf.getLong();
        }

        private void need(String field, int bytes) {
            if (buf.remaining() < bytes) {
                throw new GgufFormatException(field, buf.position(), "needs " + bytes + " bytes but the file ends at " + fileSize
                        + (fileSize > Integer.MAX_VALUE ? " (or the header exceeds 2 GiB)" : "") + " (truncated?)");
            }
        }
    }
}
