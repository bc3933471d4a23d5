package io.agentcouncil.tokenizer;

import io.agentcouncil.gguf.GgufMetadata;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level BPE ({@code tokenizer.ggml.model = gpt2}): pre-tokenize into words, map each byte of
 * a word to its token, then apply merges lowest rank first. Words repeat a lot in real text, so
 * finished words are cached.
 */
final class BpeTokenizer extends Tokenizer {
    private static final int CACHE_LIMIT = 1 << 16;
    private static final int CACHEABLE_WORD = 48;

    /** GPT-2's printable stand-in for each byte, so every token text is valid Unicode. */
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        Arrays.fill(CHAR_TO_BYTE, -1);
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + extra++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private final PreTokenizer preTokenizer;
    private final int[] byteToken = new int[256];
    private final PairRanks merges;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    BpeTokenizer(GgufMetadata md) {
        super(new Vocabulary(md, false));
        preTokenizer = PreTokenizer.forName(md.getString("tokenizer.ggml.pre", "default"));
        for (int b = 0; b < 256; b++) {
            byteToken[b] = vocab.id(String.valueOf(BYTE_TO_CHAR[b]));
        }
        String[] rules = md.getStringArray("tokenizer.ggml.merges");
        merges = new PairRanks(rules.length);
        for (int rank = 0; rank < rules.length; rank++) {
            String rule = rules[rank];
            int space = rule.indexOf(' ', 1);
            if (space < 0) {
                continue; // llama.cpp ignores a merge without a separator too
            }
            int left = vocab.id(rule.substring(0, space));
            int right = vocab.id(rule.substring(space + 1));
            int merged = vocab.id(rule.substring(0, space) + rule.substring(space + 1));
            if (left >= 0 && right >= 0 && merged >= 0) {
                merges.putIfAbsent(left, right, rank, merged);
            }
        }
    }

    @Override
    void encodeText(String text, int from, int to, boolean afterSpecial, IntList out) {
        IntList ends = new IntList(Math.max(8, (to - from) / 3));
        preTokenizer.split(text, from, to, ends);
        int start = from;
        for (int i = 0; i < ends.size(); i++) {
            int end = ends.get(i);
            encodeWord(text, start, end, out);
            start = end;
        }
    }

    private void encodeWord(String text, int from, int to, IntList out) {
        if (to - from > CACHEABLE_WORD) {
            out.addAll(merge(text.substring(from, to).getBytes(StandardCharsets.UTF_8)));
            return;
        }
        String word = text.substring(from, to);
        int[] ids = cache.get(word);
        if (ids == null) {
            ids = merge(word.getBytes(StandardCharsets.UTF_8));
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear(); // crude but bounded; the hot words are back within a few sentences
            }
            cache.put(word, ids);
        }
        out.addAll(ids);
    }

    /**
     * Merges the byte tokens of one word. A min-heap of (rank, position) gives the lowest-ranked
     * pair, leftmost first; entries made stale by an earlier merge are recognised and skipped.
     */
    private int[] merge(byte[] bytes) {
        int n = bytes.length;
        int[] id = new int[n];
        int[] next = new int[n];
        int[] prev = new int[n];
        for (int i = 0; i < n; i++) {
            id[i] = byteToken[bytes[i] & 0xFF];
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        long[] heap = new long[Math.max(4, n)];
        int heapSize = 0;
        for (int i = 0; i + 1 < n; i++) {
            long rank = rankOf(id[i], id[i + 1]);
            if (rank >= 0) {
                heapSize = push(heap = grow(heap, heapSize), heapSize, rank << 32 | i);
            }
        }
        while (heapSize > 0) {
            long top = heap[0];
            heapSize = pop(heap, heapSize);
            int left = (int) top;
            int rank = (int) (top >>> 32);
            int right = next[left];
            if (id[left] < 0 || right < 0) {
                continue;
            }
            long m = id[right] < 0 ? -1 : merges.get(id[left], id[right]);
            if (m < 0 || (int) (m >>> 32) != rank) {
                continue; // this pair changed since it was queued
            }
            id[left] = (int) m;
            id[right] = -2; // merged away
            next[left] = next[right];
            if (next[left] >= 0) {
                prev[next[left]] = left;
            }
            if (prev[left] >= 0) {
                long r = rankOf(id[prev[left]], id[left]);
                if (r >= 0) {
                    heapSize = push(heap = grow(heap, heapSize), heapSize, r << 32 | prev[left]);
                }
            }
            if (next[left] >= 0) {
                long r = rankOf(id[left], id[next[left]]);
                if (r >= 0) {
                    heapSize = push(heap = grow(heap, heapSize), heapSize, r << 32 | left);
                }
            }
        }
        IntList ids = new IntList(n);
        for (int i = 0; i >= 0 && i < n; i = next[i]) {
            if (id[i] >= 0) {
                ids.add(id[i]); // a byte without a token is dropped, as llama.cpp drops it
            }
        }
        return ids.toArray();
    }

    private long rankOf(int left, int right) {
        if (left < 0 || right < 0) {
            return -1;
        }
        long m = merges.get(left, right);
        return m < 0 ? -1 : m >>> 32;
    }

    private static long[] grow(long[] heap, int size) {
        return size < heap.length ? heap : Arrays.copyOf(heap, heap.length * 2);
    }

    private static int push(long[] heap, int size, long v) {
        int i = size;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] <= v) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = v;
        return size + 1;
    }

    private static int pop(long[] heap, int size) {
        long last = heap[--size];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && heap[child + 1] < heap[child]) {
                child++;
            }
            if (last <= heap[child]) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        if (size > 0) {
            heap[i] = last;
        }
        return size;
    }

    @Override
    byte[] normalPiece(int id, TokenType type) {
        String text = vocab.text(id);
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int b = cp < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[cp] : -1;
            if (b >= 0) {
                out.write(b);
            } else {
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
            }
            i += Character.charCount(cp);
        }
        return out.toByteArray();
    }
}
