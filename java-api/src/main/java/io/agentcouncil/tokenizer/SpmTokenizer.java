package io.agentcouncil.tokenizer;

import io.agentcouncil.gguf.GgufMetadata;

import java.nio.charset.StandardCharsets;
import java.util.PriorityQueue;

/**
 * SentencePiece-style BPE ({@code tokenizer.ggml.model = llama}): spaces become U+2581, adjacent
 * pieces merge highest score first while the merged text is a token, and what never forms a token
 * falls back to byte tokens {@code <0xXX>}.
 */
final class SpmTokenizer extends Tokenizer {
    private static final char SPACE = '\u2581';

    private final int[] byteToken = new int[256];

    SpmTokenizer(GgufMetadata md) {
        super(new Vocabulary(md, true));
        for (int b = 0; b < 256; b++) {
            int id = vocab.id(String.format("<0x%02X>", b));
            if (id < 0 && b < 128) {
                id = vocab.id(String.valueOf((char) b));
            }
            byteToken[b] = id >= 0 ? id : vocab.unknown();
        }
    }

    private record Bigram(int left, int right, float score, int length) {}

    @Override
    void encodeText(String text, int from, int to, boolean afterSpecial, IntList out) {
        String escaped = ((vocab.addSpacePrefix() && afterSpecial) ? " " : "") + text.substring(from, to);
        escaped = escaped.replace(' ', SPACE);
        int n = escaped.codePointCount(0, escaped.length());
        int[] start = new int[n];
        int[] len = new int[n];
        int[] next = new int[n];
        int[] prev = new int[n];
        for (int i = 0, p = 0; i < n; i++) {
            int cl = Character.charCount(escaped.codePointAt(p));
            start[i] = p;
            len[i] = cl;
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
            p += cl;
        }
        // Highest score first; equal scores go leftmost first, as in llama.cpp.
        PriorityQueue<Bigram> queue = new PriorityQueue<>((a, b) -> a.score != b.score
                ? Float.compare(b.score, a.score) : Integer.compare(a.left, b.left));
        for (int i = 1; i < n; i++) {
            offer(queue, escaped, start, len, i - 1, i);
        }
        while (!queue.isEmpty()) {
            Bigram b = queue.poll();
            if (len[b.left] == 0 || len[b.right] == 0 || len[b.left] + len[b.right] != b.length) {
                continue; // one side was merged elsewhere since this pair was queued
            }
            len[b.left] += len[b.right];
            len[b.right] = 0;
            next[b.left] = next[b.right];
            if (next[b.right] >= 0) {
                prev[next[b.right]] = b.left;
            }
            offer(queue, escaped, start, len, prev[b.left], b.left);
            offer(queue, escaped, start, len, b.left, next[b.left]);
        }
        for (int i = 0; i >= 0 && n > 0; i = next[i]) {
            String piece = escaped.substring(start[i], start[i] + len[i]);
            int id = vocab.id(piece);
            if (id >= 0) {
                out.add(id);
            } else {
                for (byte b : piece.getBytes(StandardCharsets.UTF_8)) {
                    out.add(byteToken[b & 0xFF]);
                }
            }
        }
    }

    private void offer(PriorityQueue<Bigram> queue, String s, int[] start, int[] len, int left, int right) {
        if (left < 0 || right < 0) {
            return;
        }
        int length = len[left] + len[right];
        int id = vocab.id(s.substring(start[left], start[left] + length));
        if (id >= 0) {
            queue.add(new Bigram(left, right, vocab.score(id), length));
        }
    }

    @Override
    byte[] normalPiece(int id, TokenType type) {
        String text = vocab.text(id);
        if (type == TokenType.BYTE && text.length() == 6 && text.startsWith("<0x") && text.endsWith(">")) {
            int hi = Character.digit(text.charAt(3), 16);
            int lo = Character.digit(text.charAt(4), 16);
            if (hi >= 0 && lo >= 0) {
                return new byte[] {(byte) (hi << 4 | lo)};
            }
        }
        return text.replace(SPACE, ' ').getBytes(StandardCharsets.UTF_8);
    }
}
