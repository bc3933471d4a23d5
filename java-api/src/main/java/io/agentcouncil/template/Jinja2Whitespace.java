package io.agentcouncil.template;

/**
 * Rewrites a template's source so that Jinjava, run with its own trim/lstrip options off, produces
 * the whitespace that Python jinja2 produces with {@code trim_blocks=True, lstrip_blocks=True} and
 * the default {@code keep_trailing_newline=False}, as Hugging Face renders chat templates.
 *
 * <p>Jinjava gets these wrong in ways real templates hit: its {@code lstripBlocks} strips spaces
 * before every tag, also in the middle of a line ({@code "a {% if x %}"} loses its space); its
 * {@code trimBlocks} ignores comments and the {@code +} modifiers; on comments it applies
 * {@code {#-} to both sides, ignores {@code -#}} and strips through them; and it applies no
 * whitespace control to {@code raw} blocks. jinja2's rules are lexical, so they can be applied to
 * the text:
 * <ul>
 *   <li>lstrip: spaces and tabs between the start of a line and a block tag ({@code {%}) or
 *       comment ({@code {#}) are removed, unless the tag opens with {@code +} or {@code -};</li>
 *   <li>trim: the one newline right after a block tag or comment is removed, unless the tag
 *       closes with {@code +} or {@code -};</li>
 *   <li>a {@code -} strips all whitespace on its side; done here for comments and raw blocks,
 *       left to Jinjava (which gets it right) for expressions and other block tags;</li>
 *   <li>line endings become {@code \n} and one trailing newline of the template is dropped.</li>
 * </ul>
 * Jinjava reports a tag at the line where it ends, so no newline is simply deleted: each removed
 * newline is moved into the next tag, just after its opening delimiter, which keeps every tag's
 * line number in error messages. {@code +} modifiers, unknown to Jinjava, become spaces.
 */
final class Jinja2Whitespace {

    private final String s;
    private final StringBuilder out;
    /** Where reading resumes in {@code s}. */
    private int pos;
    /** Where the text before the current tag starts in {@code s}. */
    private int textStart;
    /** Newlines removed since the last tag was written, to be written into the next one. */
    private int pendingNewlines;
    /** After {@code {% raw %}}: where its {@code {% endraw %}} starts, the next tag to handle; else -1. */
    private int rawEnd = -1;

    private Jinja2Whitespace(String source) {
        this.s = source;
        this.out = new StringBuilder(source.length() + 16);
    }

    static String apply(String template) {
        String s = template.replace("\r\n", "\n").replace('\r', '\n');
        if (s.endsWith("\n")) {
            s = s.substring(0, s.length() - 1);
        }
        return new Jinja2Whitespace(s).rewrite();
    }

    private String rewrite() {
        while (pos < s.length()) {
            int open = rawEnd >= 0 ? rawEnd : nextTagStart(pos);
            rawEnd = -1;
            int close = open < 0 || open >= s.length() ? -1 : tagEnd(open);
            if (close < 0) {
                // No more tags, or an unterminated one that Jinjava will report.
                out.append(s, pos, s.length());
                break;
            }
            out.append(s, pos, open);
            textStart = pos;
            pos = close;
            if (s.charAt(open + 1) == '{') {
                appendTag(open, close, false);
            } else if (s.charAt(open + 1) == '#') {
                comment(open, close);
            } else if (tagName(open, close).equals("raw") || tagName(open, close).equals("endraw")) {
                rawDelimiter(open, close);
            } else {
                blockTag(open, close);
            }
        }
        return out.toString();
    }

    private void blockTag(int open, int close) {
        lstrip(open);
        appendTag(open, close, false);
        char closing = closing(open, close);
        if (closing != '-' && closing != '+') {
            trimNewline();
        }
    }

    /**
     * A comment becomes {@code {{''}}}: it outputs nothing, yet stays a node, because jinja2 stops
     * a neighbour's {@code -} at a comment and Jinjava, which drops comments from its tree, would
     * strip through it.
     */
    private void comment(int open, int close) {
        if (opening(open) == '-') {
            stripBefore();
        } else {
            lstrip(open);
        }
        pendingNewlines += count(open, close);
        out.append("{{").append("\n".repeat(pendingNewlines)).append("''}}");
        pendingNewlines = 0;
        char closing = closing(open, close);
        if (closing == '-') {
            stripAfter();
        } else if (closing != '+') {
            trimNewline();
        }
    }

    /**
     * {@code {% raw %}} and {@code {% endraw %}}, whose {@code -} is resolved here because Jinjava
     * ignores it (and misses an endraw written {@code {%- endraw %}}). jinja2 does not trim the
     * newline after {@code {% raw %}}.
     */
    private void rawDelimiter(int open, int close) {
        boolean start = tagName(open, close).equals("raw");
        if (opening(open) == '-') {
            stripBefore();
        } else {
            lstrip(open);
        }
        appendTag(open, close, true);
        char closing = closing(open, close);
        if (closing == '-') {
            stripAfter();
        } else if (!start && closing != '+') {
            trimNewline();
        }
        if (start) {
            rawEnd = s.indexOf("{%", pos);
            while (rawEnd >= 0 && !isEndRaw(rawEnd)) {
                rawEnd = s.indexOf("{%", rawEnd + 2);
            }
            if (rawEnd < 0) {
                rawEnd = s.length();
            }
        }
    }

    /**
     * Writes the tag {@code s[open, close)} with the pending newlines after its opening delimiter
     * and modifier. Modifiers Jinjava must not see become spaces: {@code +} always, {@code -} where
     * this class has applied it ({@code ownDashes}).
     */
    private void appendTag(int open, int close, boolean ownDashes) {
        int at = out.length();
        out.append(s, open, close);
        char opening = opening(open);
        char closing = closing(open, close);
        if (opening == '+' || (ownDashes && opening == '-')) {
            out.setCharAt(at + 2, ' ');
        }
        if (closing == '+' || (ownDashes && closing == '-')) {
            out.setCharAt(out.length() - 3, ' ');
        }
        int afterOpening = at + (opening == '-' || opening == '+' ? 3 : 2);
        out.insert(afterOpening, "\n".repeat(pendingNewlines));
        pendingNewlines = 0;
    }

    /** A {@code -} before a tag: all whitespace back to the previous tag goes. */
    private void stripBefore() {
        while (out.length() > 0 && PythonStr.isSpace(out.charAt(out.length() - 1))) {
            pendingNewlines += out.charAt(out.length() - 1) == '\n' ? 1 : 0;
            out.setLength(out.length() - 1);
        }
    }

    /** A {@code -} after a tag: all whitespace up to the next tag goes. */
    private void stripAfter() {
        while (pos < s.length() && PythonStr.isSpace(s.charAt(pos))) {
            pendingNewlines += s.charAt(pos++) == '\n' ? 1 : 0;
        }
    }

    /**
     * lstrip_blocks: drop the indentation before a tag that starts its line. Only the text since
     * the previous tag counts; a newline that tag consumed still marks a line start.
     */
    private void lstrip(int open) {
        if (opening(open) == '+' || opening(open) == '-') {
            return;
        }
        int start = open;
        while (start > textStart && (s.charAt(start - 1) == ' ' || s.charAt(start - 1) == '\t')) {
            start--;
        }
        if (start == 0 || s.charAt(start - 1) == '\n') {
            out.setLength(out.length() - (open - start));
        }
    }

    /** trim_blocks: consumes the newline right after a tag, if there is one. */
    private void trimNewline() {
        if (pos < s.length() && s.charAt(pos) == '\n') {
            pos++;
            pendingNewlines++;
        }
    }

    /** The character after the tag's opening delimiter: its whitespace control if {@code -} or {@code +}. */
    private char opening(int open) {
        return s.charAt(open + 2);
    }

    /** The character before the tag's closing delimiter: its whitespace control if {@code -} or {@code +}. */
    private char closing(int open, int close) {
        return close - 3 > open + 2 ? s.charAt(close - 3) : 0;
    }

    /** Index of the next {@code {{}, {@code {%} or {@code {#}, or -1. */
    private int nextTagStart(int from) {
        for (int i = s.indexOf('{', from); i >= 0 && i + 1 < s.length(); i = s.indexOf('{', i + 1)) {
            char c = s.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Index just past the tag opened at {@code open}, or -1. Quoted strings inside expressions and
     * block tags are skipped, as both jinja2 and Jinjava do, so {@code '}}'} does not close a tag.
     */
    private int tagEnd(int open) {
        char kind = s.charAt(open + 1);
        if (kind == '#') {
            int end = s.indexOf("#}", open + 2);
            return end < 0 ? -1 : end + 2;
        }
        char closer = kind == '{' ? '}' : '%';
        char quote = 0;
        for (int i = open + 2; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == closer && i + 1 < s.length() && s.charAt(i + 1) == '}') {
                return i + 2;
            }
        }
        return -1;
    }

    private boolean isEndRaw(int open) {
        int close = tagEnd(open);
        return close > 0 && tagName(open, close).equals("endraw");
    }

    private String tagName(int open, int close) {
        String body = s.substring(open + 2, close - 2).strip();
        if (body.startsWith("-") || body.startsWith("+")) {
            body = body.substring(1).strip();
        }
        int end = 0;
        while (end < body.length() && Character.isLetterOrDigit(body.charAt(end))) {
            end++;
        }
        return body.substring(0, end);
    }

    private int count(int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n += s.charAt(i) == '\n' ? 1 : 0;
        }
        return n;
    }
}
