"""Which parts of a bilingual text are Chinese, which English.

中英双语文本的语言划分：整段中文或整段英文的块按字符比例归类；
"中文 / English" 形式（标题、标签、表格单元、README 的对照句）按
分隔符 " / " 切成 zh、sep、en 三种片段，其余部分对两种语言都显示。

The course writes a Chinese paragraph and then its English paragraph, and
headings as "中文 / English". README and the glossary also put both
languages into one paragraph or table cell: "中文 / English; (2) 中文 /
English". ``classify`` labels a whole block; ``plan`` cuts one string into
spans ``(start, end, lang)`` with lang in {"zh", "en", "sep", None}; None
means "shown in every language mode" (numbers, links before the first
Chinese clause, a shared ";").

Only letters count: a Han character counts three (a Chinese word is about
1.7 characters, an English one about 5 letters), an ASCII letter one. The
character ``NEUTRAL`` stands for an inline node that carries no language
(code, math, an image) and is never cut.
"""

import re

NEUTRAL = "\ue000"
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z]")
WORD = re.compile(r"[A-Za-z]+")
# A switch from Chinese to English: "中文 / English", "。/ English".
SEP = re.compile(
    r"\s+/\s+|(?<=[\u3000-\u303f\uff00-\uffef])\s*/\s*"
    r"|(?<=[。？！])\s+(?=[A-Z])"  # "中文。 English." in one paragraph
)
# Where an English clause may end before the next Chinese one starts.
BOUNDARY = re.compile(r"[;.:,·]\s+|\s+—\s+|\s+(?=\()")
# Where the first Chinese clause may start after a neutral prefix.
OPENING = re.compile(r"[;:：，·—(（]\s*|\s+—\s+")
# "论文 / Papers: ..." - a bilingual label at the start of a block.
LABEL = re.compile(
    r"^(?P<zh>[^/:：]*?[\u4e00-\u9fff][^/:：]*?)(?P<sep>\s+/\s+)"
    r"(?P<en>[A-Za-z][^/:：\u4e00-\u9fff]{0,40}?)(?=\s*[:：])"
)
SHARED_TAIL = re.compile(r"(?:\s*[;·—]\s*|[）」』]+[.。,，;；¹²³⁴]*\s*)$")
LEADING_NEUTRAL = re.compile(r"[\s\d.:#§\-–—•*+()]*")

ZH_SHARE = 0.6
EN_SHARE = 0.15


def counts(text):
    """(Han characters, ASCII letters) of ``text``."""
    return len(HAN.findall(text)), len(LATIN.findall(text))


def classify(text):
    """ "zh", "en" or None (no letters, or a real mix) for a whole block."""
    han, latin = counts(text)
    if han == 0 and latin < 6:
        return None  # "9 s · 956 s": numbers and units are for everyone
    share = 3 * han / (3 * han + latin)
    if share >= ZH_SHARE:
        return "zh"
    if share <= EN_SHARE:
        return "en"
    return None


def _neutral_prefix(text, start, end):
    """End of the language-free prefix of the clause text[start:end]."""
    first = HAN.search(text, start, end)
    if first is None:
        return start
    cut = start
    for m in OPENING.finditer(text, start, first.start()):
        cut = m.end()
    return LEADING_NEUTRAL.match(text, cut).end()


def _english_end(text, start):
    """End of the English clause that starts at ``start``."""
    han = HAN.search(text, start)
    if han is None:
        return len(text)
    end = None
    for m in BOUNDARY.finditer(text, start, han.start()):
        end = m.end()
    return end


def _is_switch(text, m, zh_start):
    """Is the separator ``m`` a switch from Chinese to English?"""
    if not HAN.search(text, zh_start, m.start()):
        return None
    end = _english_end(text, m.end())
    if end is None or len(LATIN.findall(text[m.end() : end])) < 2:
        return None
    if "/" not in m.group() and len(WORD.findall(text[m.end() : end])) < 3:
        return None  # "。 Keras 3 的…" is Chinese that starts with a name
    return end


def _repeated(prefix, english):
    """Does the English clause start with the prefix's first word?"""
    first = re.match(r"\W*(\w+)", prefix)
    other = re.match(r"\W*(\w+)", english or "")
    return bool(first and other) and first.group(1) == other.group(1)


def _push(spans, start, end, lang):
    if end <= start:
        return
    if spans and spans[-1][2] == lang and spans[-1][1] == start:
        spans[-1] = (spans[-1][0], end, lang)
    else:
        spans.append((start, end, lang))


def _push_english(spans, text, start, end):
    """An English span; a shared ";" or a closing bracket stays neutral."""
    tail = SHARED_TAIL.search(text, start, end)
    cut = tail.start() if tail and tail.start() > start else end
    _push(spans, start, cut, "en")
    _push(spans, cut, end, None)


def plan(text):
    """Cut ``text`` into ``(start, end, lang)`` spans, or None.

    None: there is no Chinese-to-English switch in it, so the block is
    classified as a whole (``classify``).
    """
    spans = []
    pos = 0
    label = LABEL.match(text)
    if label:
        lead = LEADING_NEUTRAL.match(text, 0).end()
        _push(spans, 0, lead, None)
        _push(spans, lead, label.end("zh"), "zh")
        _push(spans, label.start("sep"), label.end("sep"), "sep")
        _push(spans, label.start("en"), label.end("en"), "en")
        pos = label.end("en")
    switched = bool(label)
    zh_start = pos
    for m in SEP.finditer(text, pos):
        if m.start() < zh_start:
            continue
        end = _is_switch(text, m, zh_start)
        if end is None:
            continue
        cut = _neutral_prefix(text, zh_start, m.start())
        if _repeated(text[zh_start:cut], text[m.end() : end]):
            cut = zh_start  # "3 道 / 3 auto-checked": the English has its own
        _push(spans, zh_start, cut, None)
        _push(spans, cut, m.start(), "zh")
        _push(spans, m.start(), m.end(), "sep")
        _push_english(spans, text, m.end(), end)
        zh_start = end
        switched = True
    if not switched:
        return None
    rest = text[zh_start:]
    if HAN.search(rest):
        cut = _neutral_prefix(text, zh_start, len(text))
        _push(spans, zh_start, cut, None)
        _push(spans, cut, len(text), classify(text[cut:]))
    else:
        _push(spans, zh_start, len(text), None)
    return spans


def render(text, spans, lang):
    """What a reader in mode ``lang`` ("zh"/"en") sees of ``text``."""
    out = []
    for start, end, span_lang in spans:
        if span_lang in (None, lang):
            out.append(text[start:end])
    return "".join(out)
