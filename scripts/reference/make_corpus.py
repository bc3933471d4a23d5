#!/usr/bin/env python3
"""Generate the tokenizer reference corpus.

Writes java-api/src/test/resources/reference/tokenizer-corpus.jsonl: one JSON
object per line, {"id": n, "text": "..."}, ids 0..N-1 in order.

The corpus is built from hand-written seeds (below) plus deterministic,
seeded combinations of those seeds, so running this script twice gives a
byte-identical file.  It uses only the Python standard library.

Serialisation: json.dumps(ensure_ascii=False) so CJK/emoji stay readable, but
characters that some line readers treat as line breaks or that are invisible
(C0/C1 controls, DEL, U+2028, U+2029, U+FEFF, lone combining marks are kept)
are written as \\uXXXX escapes.  Every line is therefore one record when the
file is split on '\\n' only, and also when split with Python's
str.splitlines().  Every text is valid UTF-8 (no lone surrogates).

Usage: python3 scripts/reference/make_corpus.py [--out PATH]
"""

import argparse
import json
import os
import random
import sys

SEED = 20240611

# --------------------------------------------------------------------------
# Hand-written seeds, grouped by category.  Python escapes are used for
# anything invisible so the source stays readable.
# --------------------------------------------------------------------------

EDGE = [
    "",
    " ",
    "a",
    "A",
    "0",
    ".",
    "\n",
    "\t",
    "\r\n",
    "  ",
    "   ",
    "é",
    "中",
    "😀",
    "\u00a0",                # NBSP
    "\u200b",                # zero width space
    "\ufeffBOM at start",
    "\u0301",                # lone combining acute accent
    "e\u0301",               # decomposed é
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # lone ZWJ family
    "\uffff\ufffd",          # noncharacter + replacement char
    "\U0010fffd",            # last plane private use
]

ENGLISH = [
    "Hello world",
    "Hello, world!",
    "The quick brown fox jumps over the lazy dog.",
    "I don't know what you're talking about, but I'm sure we'll figure it out.",
    "THEY'RE HERE. DON'T PANIC! WE'LL BE FINE, WON'T WE?",
    "She said, \"It's fine.\" He replied: 'Is it, though?'",
    "You've got mail; I'd've answered sooner if they'd told me.",
    "It's its own thing -- not theirs, not yours, not ours.",
    "Wait... what?! Are you serious??? No way!!!",
    "Mr. and Mrs. Smith arrived at 5 p.m. (roughly) on Tuesday.",
    "e.g., i.e., etc., vs. -- abbreviations everywhere.",
    "Once upon a time, in a land far, far away, there lived a small robot who loved to read.",
    "The committee, having reviewed the proposal in detail, decided—after much deliberation—to postpone the vote.",
    "Semicolons; colons: dashes – and em-dashes — oh my.",
    "“Smart quotes” and ‘single smart quotes’ aren't the same as \"straight\" ones.",
    "ALL CAPS SENTENCE WITH NUMBERS 123 AND SYMBOLS #@!",
    "lowercase sentence without any punctuation at all",
    "MiXeD CaSe WoRdS aNd camelCaseIdentifiers and snake_case_names",
    "Hyphenated-words, well-known state-of-the-art user-friendly tools.",
    "Tokenization is the process of splitting text into tokens.",
    "A man, a plan, a canal: Panama.",
    "Please answer in JSON only. Do not add commentary.",
    "You are a helpful assistant. Answer concisely.",
    "What's 2+2? It's 4, obviously -- isn't it?",
    "O'Reilly's book isn't O'Neill's; rock'n'roll ain't dead.",
    "The year's best films weren't shown at the '90s festival.",
    "Question: Why is the sky blue?\nAnswer: Rayleigh scattering.",
    "Dear Sir or Madam,\n\nI am writing to inform you that your order has shipped.\n\nKind regards,\nThe Team",
    "   leading spaces and trailing spaces   ",
    "word",
    " word",
    "  word",
    "word ",
    "Hello\nWorld",
    "Hello\n\nWorld",
    "Hello\n\n\nWorld",
    "I'm I'M i'm I´m I’m",
    "we'll WE'LL We'Ll we've they'd she's he'll it'd",
]

CODE = [
    "public class Main {\n    public static void main(String[] args) {\n        System.out.println(\"Hello, World!\");\n    }\n}\n",
    "@Override\npublic int hashCode() {\n\treturn Objects.hash(id, name);\n}",
    "List<Map<String, Integer>> xs = new ArrayList<>();\nfor (int i = 0; i < 10; i++) { xs.add(Map.of(\"k\" + i, i)); }",
    "def fib(n):\n    \"\"\"Return the n-th Fibonacci number.\"\"\"\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n",
    "import numpy as np\n\nx = np.arange(10) ** 2  # squares\nprint(f\"{x.sum():,} total\")\n",
    "class Foo(Bar):\n\tdef __init__(self, *args, **kwargs):\n\t\tsuper().__init__(*args, **kwargs)\n",
    "lambda x: [y for y in x if y % 2 == 0]",
    "#include <stdio.h>\n\nint main(void) {\n\tprintf(\"%d\\n\", 42);\n\treturn 0;\n}\n",
    "static inline uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }",
    "#define MAX(a,b) ((a)>(b)?(a):(b))\n/* block comment */\n// line comment",
    "{\"name\": \"agentcouncil\", \"version\": \"0.1.0\", \"tags\": [\"llm\", \"java\"], \"nested\": {\"a\": null, \"b\": true, \"c\": 1.5e-3}}",
    "{\n  \"messages\": [\n    {\"role\": \"user\", \"content\": \"hi\"}\n  ]\n}",
    "[1,2,3,{\"k\":\"v\\u00e9\"},[],{}]",
    "#!/usr/bin/env bash\nset -euo pipefail\nfor f in *.gguf; do\n  echo \"$f: $(sha256sum \"$f\" | cut -d' ' -f1)\"\ndone\n",
    "ls -la | grep -v '^d' | awk '{print $9}' > files.txt 2>&1 && echo ok || echo fail",
    "export PATH=\"$HOME/.local/bin:$PATH\"; cd /tmp && tar -xzf archive.tar.gz",
    "SELECT id, name FROM users WHERE age >= 18 AND name LIKE 'A%' ORDER BY id DESC LIMIT 10;",
    "<html><body><div class=\"x\">Hello &amp; welcome</div></body></html>",
    "fn main() { let v: Vec<u8> = vec![0xde, 0xad, 0xbe, 0xef]; println!(\"{:?}\", v); }",
    "const add = (a, b) => a + b; // arrow\nconsole.log(`sum=${add(1, 2)}`);",
    "if (x != null && !x.isEmpty()) {\n\t\treturn x.get(0);\n\t}\n",
    "\t\t\tdeeply\n\t\t\t\tindented\n\t\t\t\t\tcode\n",
    "        eight spaces\n            twelve spaces\n                sixteen",
    "a==b!=c<=d>=e&&f||g<<h>>i>>>j+=k-=l*=m/=n%=o^=p|=q&=r",
    "x = {'a': 1, \"b\": [2, 3], 'c': (4,)}  # dict literal",
    "regex = r'^(?:[a-z0-9!#$%&*+/=?^_`{|}~-]+)@[a-z]+\\.[a-z]{2,}$'",
    "key: value\nlist:\n  - one\n  - two\nnested:\n  deeper: true\n",
    "[section]\nname = \"value\" # comment\nnumber = 42\n",
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<root attr='1'><child/></root>",
]

NUMBERS = [
    "0123456789",
    "12345678901234567890123456789012345678901234567890",
    "3.14159265358979323846264338327950288419716939937510",
    "1,234,567",
    "1,234,567.89",
    "1.234.567,89 €",
    "-42",
    "+1 (555) 123-4567",
    "+44 20 7946 0958",
    "555.123.4567",
    "2024-06-11",
    "2024-06-11T13:45:30.123Z",
    "11/06/2024 and 06/11/2024 and 11.06.2024",
    "12:30pm, 23:59:59, 00:00",
    "1e10 2.5E-3 0x1F 0b1010 0o777 1_000_000",
    "$1,000,000.00 and £99.99 and ¥1000 and ₹500",
    "50% off! 3/4 cup, 1/2 tsp, 100°C, 98.6°F",
    "v1.2.3-beta.4+build.567",
    "192.168.0.1:8080 and ::1 and 2001:db8::ff00:42:8329",
    "1st 2nd 3rd 4th 21st 102nd",
    "000000000000",
    "9999999999999999999",
    "1 2 3 4 5 6 7 8 9 10",
    "1234 5678 9012 3456",
    "π ≈ 3.14, e ≈ 2.718, √2 ≈ 1.414, ∞, ±0.5, ×÷",
    "١٢٣٤٥ ०१२३४ 一二三 ①②③ Ⅻ",
]

WHITESPACE = [
    "          ",
    "                                                                ",
    "\t\t\t\t",
    "\n\n\n\n\n",
    "\r\n\r\n\r\n",
    " \t \t \t",
    "\t \n \r\n \t",
    "line one\r\nline two\r\nline three\r\n",
    "mixed\nline\r\nendings\rhere",
    "trailing spaces   \nand tabs\t\t\nend",
    "a    b        c                d",
    "a\t\tb\t\t\t\tc",
    "\n   indented after newline",
    "word\n\n\n\n\n\n\n\n\n\nword",
    "   \n   \n   \n",
    "\u3000full-width\u3000space",
    "\u2003em space\u2002en space\u2009thin space",
    "\v\f vertical tab and form feed",
    "no_space_at_all",
    " x",
    "  x",
    "   x",
    "    x",
]

EMOJI = [
    "😀😃😄😁",
    "I love pizza 🍕 and coffee ☕!",
    "👍👍🏻👍🏼👍🏽👍🏾👍🏿",
    "👨‍👩‍👧‍👦 family, 👩‍💻 technologist, 🏳️‍🌈 rainbow flag",
    "🇺🇸🇬🇧🇫🇷🇩🇪🇯🇵🇨🇳🇰🇷🇻🇳",
    "❤️ ❤ ♥️ 💔 💯 ✅ ❌ ⚠️",
    "🧑🏽‍🚀 astronaut, 🏃‍♀️ running woman, 🤷‍♂️ shrug",
    "#️⃣ 1️⃣ 🔟 ©️ ®️ ™️",
    "🫠🫡🫶🪿 newer emoji",
    "emoji🙂inside🙃words",
    "😀 😀 😀",
]

CJK = [
    "你好，世界！",
    "我爱自然语言处理。今天天气很好，我们去公园散步吧。",
    "中华人民共和国成立于1949年10月1日。",
    "こんにちは、世界！",
    "私は日本語を勉強しています。東京は大きな都市です。",
    "カタカナとひらがなと漢字を混ぜた文章。ｶﾀｶﾅ（半角）も。",
    "안녕하세요, 세계!",
    "한국어 문장을 토큰화하는 것은 흥미롭습니다.",
    "繁體中文與简体中文混合測試。",
    "「引用」『二重引用』【括弧】〈山括弧〉",
    "中文English混合mixed文本text",
    "𠀀𠀁𪚥 rare CJK extension B characters",
]

SCRIPTS = [
    "Où est la bibliothèque ? Je ne sais pas, c'est près de l'hôpital.",
    "Ça va très bien, merci ! À bientôt, Noël, œuvre, naïve, façade.",
    "Größe, Straße, Übermäßig, Äpfel und Öl — schön!",
    "Donaudampfschifffahrtsgesellschaftskapitän",
    "Tiếng Việt có nhiều dấu: ả, ạ, ầ, ẫ, ệ, ồ, ữ, ỵ.",
    "Xin chào thế giới! Tôi đang học lập trình.",
    "مرحبا بالعالم! كيف حالك اليوم؟",
    "اللغة العربية تكتب من اليمين إلى اليسار ١٢٣",
    "नमस्ते दुनिया! मैं हिंदी सीख रहा हूँ।",
    "Привет, мир! Как дела? Съешь же ещё этих мягких французских булок.",
    "Ελληνικά: Γειά σου Κόσμε! αβγδεζηθικλμνξοπρστυφχψω",
    "שלום עולם! עברית",
    "สวัสดีชาวโลก ภาษาไทย",
    "Español: ¿Dónde está el baño? ¡Año nuevo! niño, señor.",
    "Português: ação, coração, não, pão, João.",
    "Polski: Zażółć gęślą jaźń. Čeština: Příliš žluťoučký kůň.",
    "Türkçe: İstanbul, ığdır, şöyle, çünkü, ğ.",
    "Íslenska: Þetta er ðæði. Norsk: blåbærsyltetøy.",
    "ქართული ენა, Հայերեն, አማርኛ",
    "Zalgo: Z̴̡̛a̷̢͝l̶̨̛g̸̡̛o̵̢͘",
    "Math: 𝐀𝐁𝐂 𝔸𝔹ℂ 𝒜ℬ𝒞 ∀x∈ℝ: x²≥0",
    "Full-width: ＡＢＣ１２３！？",
]

SPECIAL_LOOKALIKE = [
    "<|im_start|>user",
    "<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n",
    "<|endoftext|>",
    "<|im_end|>",
    "<s>",
    "</s>",
    "<s>Hello</s>",
    "<start_of_turn>",
    "<end_of_turn>",
    "<start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\n",
    "<bos>",
    "<eos>",
    "<bos>Hello<eos>",
    "<pad><unk><mask>",
    "<|im_sta",
    "<|im_start",
    "im_start|>",
    "<<|im_start|>>",
    "<|<|im_end|>|>",
    "<|im_start|><|im_start|><|im_start|>",
    "<|endoftext|><|endoftext|>",
    "text<|endoftext|>more text",
    " <|im_start|> spaced <|im_end|> ",
    "<|IM_START|>",
    "< |im_start| >",
    "<|fim_prefix|>def f():<|fim_suffix|>\n<|fim_middle|>",
    "<|file_sep|><|repo_name|><|object_ref_start|>",
    "<tool_call>\n{\"name\": \"f\"}\n</tool_call>",
    "<|begin_of_text|><|eot_id|><|start_header_id|>",
    "[INST] hello [/INST]",
    "<think>reasoning</think>",
    "<s> <s>  <s>",
    "</s></s>",
    "<start_of_image>",
    "<unused0><unused1>",
    "{{ bos_token }}{% if x %}{{ eos_token }}{% endif %}",
]

CONTROL = [
    "\x00",
    "a\x00b",
    "\x01\x02\x03\x04\x05\x06\x07\x08",
    "bell\x07 backspace\x08 escape\x1b[31mred\x1b[0m",
    "\x1c\x1d\x1e\x1f unit separators",
    "\x7f delete",
    "\x85 next line \u2028 line sep \u2029 para sep",
    "\x80\x81\x9f C1 controls",
    "\u200e LRM \u200f RLM \u202a\u202b\u202c\u202d\u202e overrides",
    "soft\u00adhyphen and zero\u200bwidth and join\u200dzwj\u200cnon",
]

LONG_WORDS = [
    "supercalifragilisticexpialidocious",
    "pneumonoultramicroscopicsilicovolcanoconiosis",
    "Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
    "ThisIsAVeryLongCamelCaseIdentifierThatKeepsGoingAndGoingForeverAndEver",
    "__init__.__dict__.__class__.__mro__",
    "xXxXxXxXxXxXxXxXxXxXxXxXxXxXxXxXxXxX",
    "----------------------------------------",
    "========================================",
    "........................................",
    "!!!!!!!!!!??????????",
    "ababababababababababababababababababab",
    "🙂" * 20,
    "中" * 40,
]

WEB = [
    "https://example.com/path/to/page?query=1&lang=en#section-2",
    "http://user:pass@host.example.org:8080/a/b/c.html",
    "Visit www.example.com or ftp://files.example.net/pub/file.tar.gz today!",
    "mailto:someone@example.com",
    "john.doe+filter@sub.example.co.uk",
    "Contact: support@agentcouncil.io, sales@example.com; noreply@test.dev",
    "https://en.wikipedia.org/wiki/Byte_pair_encoding",
    "file:///home/user/Documents/report%20final.pdf",
    "/usr/local/lib/python3.11/site-packages/module.py",
    "C:\\Users\\Admin\\AppData\\Local\\Temp\\file.txt",
    "@username #hashtag $TICKER",
]

MARKDOWN = [
    "# Heading 1\n\n## Heading 2\n\nSome **bold** and *italic* and `code`.",
    "- item one\n- item two\n  - nested item\n* star item\n1. numbered\n2. list",
    "```python\nprint('hello')\n```",
    "| Column A | Column B |\n|----------|----------|\n| 1        | 2        |",
    "> A blockquote\n> spanning lines\n\n---\n\n[link](https://example.com) ![img](a.png)",
    "~~strike~~ __under__ ***both*** <br/> &nbsp; &lt;tag&gt;",
    "- [ ] todo\n- [x] done",
    "Footnote[^1].\n\n[^1]: The note.",
    "$$E = mc^2$$ and inline $\\frac{a}{b}$",
]

CATEGORIES = [
    ("edge", EDGE),
    ("english", ENGLISH),
    ("code", CODE),
    ("numbers", NUMBERS),
    ("whitespace", WHITESPACE),
    ("emoji", EMOJI),
    ("cjk", CJK),
    ("scripts", SCRIPTS),
    ("special", SPECIAL_LOOKALIKE),
    ("control", CONTROL),
    ("longword", LONG_WORDS),
    ("web", WEB),
    ("markdown", MARKDOWN),
]

SEPARATORS = [" ", "\n", "\t", "", "  ", "\r\n", " \n ", "\n\n", ". ", ", "]
TARGET_COMBINATIONS = 130


def combinations(seeds_by_cat, rng):
    """Deterministic mixtures of seeds from different categories."""
    cats = [c for c, _ in seeds_by_cat]
    pools = {c: [s for s in items if s] for c, items in seeds_by_cat}
    out = []
    for i in range(TARGET_COMBINATIONS):
        kind = i % 5
        if kind == 0:
            # two seeds from two random categories joined by a separator
            a, b = rng.sample(cats, 2)
            text = rng.choice(pools[a]) + rng.choice(SEPARATORS) + rng.choice(pools[b])
        elif kind == 1:
            # three to five seeds, any category
            n = rng.randint(3, 5)
            parts = [rng.choice(pools[rng.choice(cats)]) for _ in range(n)]
            text = rng.choice(SEPARATORS).join(parts)
        elif kind == 2:
            # special-token look-alike embedded in other text
            text = (rng.choice(pools["english"]) + rng.choice(["", " ", "\n"])
                    + rng.choice(pools["special"]) + rng.choice(["", " ", "\n"])
                    + rng.choice(pools[rng.choice(cats)]))
        elif kind == 3:
            # a seed with whitespace padding / repetition
            base = rng.choice(pools[rng.choice(cats)])
            pad_l = rng.choice(["", " ", "  ", "\t", "\n", "   \n"])
            pad_r = rng.choice(["", " ", "   ", "\t", "\n", "\r\n", " \n"])
            text = pad_l + base * rng.randint(1, 3) + pad_r
        else:
            # random slice of a longer seed (by code points, so never splits
            # a surrogate pair; may split grapheme clusters on purpose)
            base = rng.choice(pools[rng.choice(cats)])
            if len(base) > 2:
                lo = rng.randrange(0, len(base) - 1)
                hi = rng.randrange(lo + 1, len(base) + 1)
                base = base[lo:hi]
            text = base
        out.append(("combo", text))
    return out


# Characters escaped in the output even though json.dumps(ensure_ascii=False)
# would write them raw: line-break look-alikes and invisible format chars.
def _needs_escape(ch):
    o = ord(ch)
    return o < 0x20 or 0x7f <= o <= 0x9f or o in (0x2028, 0x2029, 0xfeff)


def dump_line(obj):
    s = json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))
    return "".join("\\u%04x" % ord(c) if _needs_escape(c) else c for c in s)


def build():
    rng = random.Random(SEED)
    entries = []
    for cat, items in CATEGORIES:
        for s in items:
            entries.append((cat, s))
    entries.extend(combinations(CATEGORIES, rng))
    # de-duplicate while keeping first occurrence order
    seen = set()
    texts = []
    for cat, t in entries:
        if t in seen:
            continue
        seen.add(t)
        t.encode("utf-8", "strict")  # raises on lone surrogates
        texts.append(t)
    return texts


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.abspath(os.path.join(here, "..", ".."))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(
        root, "java-api/src/test/resources/reference/tokenizer-corpus.jsonl"))
    args = ap.parse_args()
    texts = build()
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        for i, t in enumerate(texts):
            f.write(dump_line({"id": i, "text": t}) + "\n")
    # self-check: the file reads back exactly
    with open(args.out, encoding="utf-8", newline="\n") as f:
        back = [json.loads(line) for line in f.read().split("\n") if line]
    assert [b["text"] for b in back] == texts
    assert [b["id"] for b in back] == list(range(len(texts)))
    print(f"wrote {len(texts)} entries to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
