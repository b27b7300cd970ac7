"""The truth layer: hold every brief to its source articles, repair what code can, drop the rest.

Three entry points, all pure (they never mutate their input):

* :func:`check` lists :class:`~summarizer.schema.GroundingIssue` s; those in :data:`REASKABLE`
  are worth a re-ask (:func:`describe_for_reask` words them for the model).
* :func:`repair` returns a new brief: quotes snapped to the exact source span (or re-cited to the
  article that has them, or cut to their longest verbatim part), citations re-pointed to the
  articles that contain a sentence's numbers and names, unsupported material dropped, and the
  :class:`~summarizer.schema.GroundingReport` filled in.
* :func:`validate_brief` is the strict check behind ``StoryBrief.model_validate(...,
  context={"articles": ...})``: it returns the problems that make a brief untrustworthy.

Policy for loaded language that survives the re-asks (decided here, documented in the report):
``intensifier``/``hedge`` words ("brutal", "so-called") are deleted where that is grammatical;
other loaded terms ("regime", "murderer") are kept and flagged, never rewritten, because a
rewrite by rule could change meaning.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from . import evidence as ev
from .evidence import _wordset
from .neutrality import find_loaded, remove_intensifiers, unquoted
from .schema import (
    Article,
    CitedSentence,
    Disagreement,
    Entities,
    GroundingIssue,
    GroundingReport,
    Perspective,
    Quote,
    Source,
    Statement,
    StoryBrief,
    Summary,
)

SPEAKER_WINDOW = 300  # characters either side of a quote in which its speaker must be named
VALIDATE_SPEAKER_WINDOW = 2 * SPEAKER_WINDOW  # validate_brief has no evidence to resolve "he added"
MIN_TRIMMED_WORDS = 5  # a cut quote is kept only if this many consecutive words are verbatim

REASKABLE = frozenset(
    {
        "citation_unsupported",
        "number_unsupported",
        "name_unsupported",
        "loaded_language",
        "unattributed_claim",
        "quote_fabricated",
    }
)

# ============================================================================ normalisation

_CHAR_MAP = {
    "“": '"',
    "”": '"',
    "„": '"',
    "«": '"',
    "»": '"',
    "″": '"',
    "‟": '"',
    "‘": "'",
    "’": "'",
    "‚": "'",
    "′": "'",
    "‛": "'",
    "`": "'",
    "—": "-",
    "–": "-",
    "‒": "-",
    "−": "-",
    "‐": "-",
    "‑": "-",
    "―": "-",
    "…": "...",
    "\u00a0": " ",
    "\u200b": "",
}


def _norm_map(text: str, casefold: bool) -> tuple[str, list[int]]:
    """Normalised text plus, for each of its characters, the index it came from."""
    out: list[str] = []
    idx: list[int] = []
    for i, raw in enumerate(text):
        rep = _CHAR_MAP.get(raw)
        if rep is None:
            rep = unicodedata.normalize("NFKC", raw) if ord(raw) > 127 else raw
        for ch in rep:
            if ch.isspace():
                # Collapse runs of whitespace; drop it next to a dash ("Images — if" == "Images-if").
                if not out or out[-1] in " -":
                    continue
                ch = " "
            elif ch == "-" and out and out[-1] == " ":
                out.pop()
                idx.pop()
            out.append(ch.lower() if casefold else ch)
            idx.append(i)
    while out and out[-1] == " ":
        out.pop()
        idx.pop()
    return "".join(out), idx


def normalize(text: str, *, casefold: bool = False) -> str:
    """Text with quote marks straightened, dashes unified, ``…`` as ``...`` and whitespace collapsed."""
    return _norm_map(text, casefold)[0]


@functools.lru_cache(maxsize=256)
def _norm_article(text: str) -> tuple[str, list[int]]:
    return _norm_map(text, True)


def _clean_quote_text(text: str) -> str:
    # Models wrap quotes in quote marks and keep the attribution comma; neither is the quote.
    t = text.strip().strip("\"“”„«»'‘’ ").strip()
    return re.sub(r"[,;:]+$", "", t).strip()


# ============================================================================ quotes


@dataclass(frozen=True)
class QuoteCheck:
    """The outcome of checking one quote against the articles."""

    status: str  # ok, snapped, recited, trimmed or fabricated
    quote: Quote  # the repaired quote (the original when fabricated)
    detail: str = ""


def _find_normalized(needle: str, article: Article, near: int | None) -> tuple[int, int] | None:
    norm_needle = normalize(needle, casefold=True)
    if not norm_needle:
        return None
    hay, idx = _norm_article(article.text)
    hits = [m.start() for m in re.finditer(re.escape(norm_needle), hay)]
    if not hits:
        return None
    pos = min(hits, key=lambda h: abs(idx[h] - near)) if near is not None else hits[0]
    return idx[pos], idx[pos + len(norm_needle) - 1] + 1


def _word_spans(text: str) -> list[tuple[str, int, int]]:
    hay, idx = _norm_article(text) if len(text) > 200 else _norm_map(text, True)
    return [(m.group(), idx[m.start()], idx[m.end() - 1] + 1) for m in re.finditer(r"[^\W_]+", hay)]


def _longest_run(quote: str, article: Article) -> tuple[int, int, int] | None:
    """Longest run of consecutive quote words that also appear consecutively in the article."""
    qw = [w for w, _, _ in _word_spans(quote)]
    aw = _word_spans(article.text)
    positions: dict[str, list[int]] = {}
    for i, (w, _, _) in enumerate(aw):
        positions.setdefault(w, []).append(i)
    best = (0, 0, 0)
    for qi in range(len(qw)):
        for ai in positions.get(qw[qi], ()):
            n = 0
            while qi + n < len(qw) and ai + n < len(aw) and qw[qi + n] == aw[ai + n][0]:
                n += 1
            if n > best[0]:
                best = (n, aw[ai][1], aw[ai + n - 1][2])
    return best if best[0] else None


def verify_quote(quote: Quote, articles: Sequence[Article]) -> QuoteCheck:
    """Check ``quote`` against its cited article (then the others) and snap it to the source."""
    by_id = {a.id: a for a in articles}
    cited = by_id.get(quote.article_id)
    others = [a for a in articles if a.id != quote.article_id]

    def fixed(article: Article, start: int, end: int) -> Quote:
        return quote.model_copy(
            update={"text": article.text[start:end], "article_id": article.id, "start": start, "end": end}
        )

    if cited is not None:
        if (
            quote.start is not None
            and quote.end is not None
            and cited.text[quote.start : quote.end] == quote.text
        ):
            return QuoteCheck("ok", quote)
        if quote.text and quote.text in cited.text:
            hits = [m.start() for m in re.finditer(re.escape(quote.text), cited.text)]
            start = min(hits, key=lambda h: abs(h - (quote.start or 0)))
            return QuoteCheck("ok", fixed(cited, start, start + len(quote.text)))
    text = _clean_quote_text(quote.text)
    variants = [text] + ([text[:-1].rstrip()] if text[-1:] in ".!?" else [])
    for variant in variants:
        if cited is not None and (span := _find_normalized(variant, cited, quote.start)):
            return QuoteCheck(
                "snapped", fixed(cited, *span), "matched after normalising quote marks, dashes and spaces"
            )
    for variant in variants:
        for art in others:
            if span := _find_normalized(variant, art, None):
                return QuoteCheck(
                    "recited", fixed(art, *span), f"found in article {art.id}, not {quote.article_id}"
                )
    n_words = len(re.findall(r"[^\W_]+", text))
    need = max(MIN_TRIMMED_WORDS, int(0.4 * n_words + 0.999))
    for art in ([cited] if cited is not None else []) + others:
        run = _longest_run(text, art)
        if run and run[0] >= need:
            where = "" if art is cited else f" (in article {art.id})"
            return QuoteCheck(
                "trimmed", fixed(art, run[1], run[2]), f"cut to its {run[0]} verbatim words{where}"
            )
    return QuoteCheck("fabricated", quote, f"not found in article {quote.article_id} or any other article")


def _speaker_keys(speaker: str) -> list[str]:
    toks = [t for t in ev.name_tokens(speaker) if t[:1].isupper() and t.lower() not in ev._NOT_NAME]
    keys = [speaker.strip()]
    if toks:
        keys.append(toks[-1])
        if toks[0] in ev._EAST_ASIAN_FAMILY:
            keys.append(toks[0])
        country = ev.demonyms().get(toks[-1]) or ev.gazetteer("gazetteer_countries.txt").get(toks[-1])
        if country:
            keys.append(country)
            keys.extend(d for d, c in ev.demonyms().items() if c == country)
    return [k for k in keys if len(k) > 1]


def speaker_supported(
    quote: Quote, article: Article, *, window: int = SPEAKER_WINDOW, evidence: ev.Evidence | None = None
) -> bool:
    """Whether ``quote.speaker`` is named in ``article`` within ``window`` characters of the quote.

    With ``evidence``, the speaker found by :mod:`summarizer.evidence` for the same span is
    decisive (it resolves "he added" and also rejects a nearby but wrong name).
    """
    if not quote.speaker.strip():
        return False
    start, end = quote.start, quote.end
    if start is None or end is None or article.text[start:end] != quote.text:
        pos = article.text.find(quote.text)
        if pos < 0:
            return False
        start, end = pos, pos + len(quote.text)
    if evidence is not None:
        for cand in evidence.quotes + evidence.fragments:
            if cand.article_id == article.id and cand.speaker and cand.start <= start and end <= cand.end:
                return ev.names_match(cand.speaker, quote.speaker)
    region = article.text[max(0, start - window) : start] + " \n " + article.text[end : end + window]
    return any(
        re.search(r"(?<![\w’'])" + re.escape(k) + r"(?![\w])", region) for k in _speaker_keys(quote.speaker)
    )


# ============================================================================ facts in sentences

_INJECTION_RE = re.compile(
    r"ignore\s+(?:all\s+|any\s+)?(?:the\s+|your\s+)?(?:previous|prior|above|earlier|preceding)\s+"
    r"(?:instructions?|prompts?|messages?|directions|rules)"
    r"|disregard\s+(?:all\s+|any\s+|the\s+|your\s+)?(?:previous\s+|prior\s+|above\s+)?(?:instructions?|prompts?|rules)"
    r"|system\s+prompt|\bas\s+an\s+ai\b|as\s+a\s+(?:large\s+)?language\s+model"
    r"|you\s+are\s+now\s+|<\|im_(?:start|end)\|>|\[/?INST\]|<<SYS>>|^\s*(?:system|assistant)\s*:"
    r"|new\s+instructions\s*:|developer\s+mode|\bjailbreak",
    re.IGNORECASE | re.MULTILINE,
)


# The matched words are not repeated in the report: a brief must not carry the injection on.
_INJECTION_DETAIL = "contains instruction-like text (prompt injection), treated as data"


def injection_markers(text: str) -> list[str]:
    """Instruction-like or system-prompt-like phrases in ``text`` ("ignore previous instructions")."""
    return [m.group().strip() for m in _INJECTION_RE.finditer(text)]


@dataclass(frozen=True)
class _ArticleFacts:
    words: list[str]  # sorted lowercase words, for prefix look-ups
    numbers: frozenset[float]
    text_lower: str


@functools.lru_cache(maxsize=256)
def _facts_of(text: str) -> _ArticleFacts:
    words = sorted({w.lower() for w in re.findall(r"[^\W\d_]+", text)})
    return _ArticleFacts(words, frozenset(v for _, vals in _numbers_in(text) for v in vals), text.lower())


def _numbers_in(text: str) -> list[tuple[str, tuple[float, ...]]]:
    """``(raw, values)`` of each figure in ``text``; values hold the plain and the scaled number."""
    out: list[tuple[str, tuple[float, ...]]] = []
    for m in ev._NUM_RE.finditer(text):
        if ev._number_kind(text, m) == "other":
            continue
        plain = float(m.group("num").replace(",", ""))
        scaled = plain * ev._SCALE.get(m.group("scale") or "", 1.0)
        out.append((m.group().strip(), (plain, scaled)))
    return out


_FUNCTION_CAPS = _wordset(
    """
    the a an this that these those on in at by for from with without as but and or if when while
    after before during since until meanwhile however it he she they we i you his her their our
    its there here what who why how where which not no yes also both all some many most several
    other others each every according despite amid among
    """
)


def _has_prefix_word(facts: _ArticleFacts, token: str) -> bool:
    low = token.lower()
    # Lenient on endings ("Ukrainian"/"Ukraine", "Zelensky"/"Zelenskyy"), strict on the stem.
    prefix = low if len(low) <= 4 else low[: max(4, len(low) - 3)]
    i = bisect.bisect_left(facts.words, prefix)
    return i < len(facts.words) and facts.words[i].startswith(prefix)


def _phrase_variants(phrase: str) -> set[str]:
    variants = {phrase}
    for table in (ev.gazetteer("gazetteer_countries.txt"), ev.gazetteer("gazetteer_orgs.txt")):
        canon = table.get(phrase)
        if canon:
            variants |= {s for s, c in table.items() if c == canon}
    dem = ev.demonyms()
    if phrase in dem:
        variants.add(dem[phrase])
    variants |= {d for d, c in dem.items() if c == phrase}
    return variants


def _names_in(sentence: str, known_caps: frozenset[str]) -> list[tuple[str, list[str]]]:
    """Names to check in a brief's sentence: ``(phrase, tokens)`` per capitalised run."""
    out: list[tuple[str, list[str]]] = []
    if _title_case(sentence):
        return out  # Title Case: capitals say nothing about names
    for run in ev._capital_runs(sentence):
        start = run[0][0]
        initial = not sentence[:start].strip() or re.search(r"(?:[.!?:;]|[\"“‘(—-])\s*$", sentence[:start])
        toks = [re.sub(r"['’]s$", "", t[2]) for t in run]
        if initial and len(toks) == 1:
            # A lone capitalised first word is usually an ordinary word ("Officials", "Fighting"):
            # check it only if it looks like a name (written capitalised mid-sentence in the
            # articles, possessive, or followed by a speech verb).
            after = sentence[run[0][1] : run[0][1] + 30]
            if not (
                toks[0] in known_caps
                or re.search(r"['’]s$", run[0][2])
                or re.match(r"\s+(?:" + ev.SPEECH_VERBS + r")\b", after)
            ):
                continue
        check = [
            part
            for t in toks
            for part in re.split(r"-", t)
            if part
            and part.lower() not in _FUNCTION_CAPS
            and part.lower().strip(".") not in ev.TITLE_WORDS
            and len(part) > 1
        ]
        if check:
            out.append((" ".join(toks), check))
    return out


_TITLE_MARKERS = _wordset(
    """
    does not will says said with from over after into about amid than this that have has been
    were when what more most back down asks tells calls amid could would should their they your
    against
    """
)


def _title_case(text: str) -> bool:
    """Headline style ("Putin Does Not Deny North Korean Troops")."""
    words = re.findall(r"[^\W\d_]{4,}", text)
    caps = [w for w in words[1:] if w[0].isupper()]
    if sum(w.lower() in _TITLE_MARKERS for w in caps) >= 2:
        return True
    return len(words) >= 6 and len(caps) / (len(words) - 1) > 0.8


@functools.lru_cache(maxsize=64)
def _known_caps(texts: tuple[str, ...]) -> frozenset[str]:
    caps: set[str] = set()
    for text in texts:
        for m in re.finditer(r"(?<=[a-z,;] )([A-Z][\w’'\-]+)", text):
            caps.add(re.sub(r"['’]s$", "", m.group(1)))
    return frozenset(caps)


def _name_supported(phrase: str, tokens: list[str], art: Article) -> bool:
    facts = _facts_of(art.text)
    if any(v.lower() in facts.text_lower for v in _phrase_variants(phrase) if len(v) > 1):
        return True
    found = [
        _has_prefix_word(facts, t)
        or any(v.lower() in facts.text_lower for v in _phrase_variants(t) if len(v) > 2)
        for t in tokens
    ]
    # "Joe Biden" where the article says "President Biden": the surname carries the name.
    return all(found) or (
        len(tokens) >= 2 and found[-1] and len(tokens[-1]) >= 4 and phrase.split()[-1] == tokens[-1]
    )


def _number_supported(values: tuple[float, ...], art: Article) -> bool:
    nums = _facts_of(art.text).numbers
    return any(v in nums for v in values)


@dataclass
class _SentenceCheck:
    missing_numbers: list[str]  # in no article at all
    missing_names: list[str]
    uncited_facts: dict[str, list[str]]  # fact -> other articles that have it
    n_numbers: int
    n_names: int


def _check_facts(text: str, cited: Sequence[Article], articles: Sequence[Article]) -> _SentenceCheck:
    known = _known_caps(tuple(a.text for a in articles))
    result = _SentenceCheck([], [], {}, 0, 0)
    for raw, values in _numbers_in(text):
        result.n_numbers += 1
        if any(_number_supported(values, a) for a in cited):
            continue
        elsewhere = [a.id for a in articles if _number_supported(values, a)]
        if elsewhere:
            result.uncited_facts[raw] = elsewhere
        else:
            result.missing_numbers.append(raw)
    for phrase, tokens in _names_in(text, known):
        result.n_names += 1
        if any(_name_supported(phrase, tokens, a) for a in cited):
            continue
        elsewhere = [a.id for a in articles if _name_supported(phrase, tokens, a)]
        if elsewhere:
            result.uncited_facts[phrase] = elsewhere
        else:
            result.missing_names.append(phrase)
    return result


_ATTRIBUTION_RE = re.compile(
    r"\b(?:according\s+to|said|says|say|saying|estimated|estimates?|estimating|claimed|claims?|claiming|"
    r"reported|reports?|reporting|stated|states|told|announced|warned|confirmed|alleged|alleges|believes?|"
    r"believed|assessed|assesses|suggested|suggests|indicated|projected|projects|cited|citing|per|"
    r"put\s+the|puts\s+the|figures?|range|ranging|vary|varying|differ|differing|disputed)\b",
    re.IGNORECASE,
)


def _disputed_values(brief: StoryBrief, evidence: ev.Evidence | None) -> set[float]:
    disagreements = list(brief.disagreements) + (list(evidence.disagreements) if evidence else [])
    values: set[float] = set()
    for d in disagreements:
        for c in d.claims:
            for _, vals in _numbers_in(c.value):
                values.update(v for v in vals if v >= 2)
    return values


# ============================================================================ check


def _sentence_issues(
    where: str, text: str, sources: Sequence[str], articles: Sequence[Article], disputed: set[float]
) -> tuple[list[GroundingIssue], _SentenceCheck | None]:
    by_id = {a.id: a for a in articles}
    issues: list[GroundingIssue] = []
    if injection_markers(text):
        return [GroundingIssue(kind="injection", where=where, detail=_INJECTION_DETAIL)], None
    for sid in sources:
        if sid not in by_id:
            issues.append(
                GroundingIssue(
                    kind="citation_dangling",
                    where=where,
                    detail=f"cites article {sid!r}, which is not in the cluster",
                )
            )
    cited = [by_id[s] for s in sources if s in by_id]
    issues += _support_issue(where, text, articles)
    facts = _check_facts(text, cited, articles)
    issues += _missing_fact_issues(where, facts)
    for fact, others in facts.uncited_facts.items():
        issues.append(
            GroundingIssue(
                kind="citation_unsupported",
                where=where,
                detail=f"{fact!r} is not in the cited article(s) {', '.join(sources) or '(none)'} but is in {', '.join(others)}",
            )
        )
    if not cited and not facts.uncited_facts:
        issues.append(
            GroundingIssue(kind="citation_unsupported", where=where, detail="cites no article of the cluster")
        )
    issues += _loaded_issues(where, text)
    if disputed and not _ATTRIBUTION_RE.search(text):
        for raw, values in _numbers_in(unquoted(text)):  # a quoted figure is the speaker's
            if any(v in disputed for v in values):
                issues.append(
                    GroundingIssue(
                        kind="unattributed_claim",
                        where=where,
                        detail=f"states the disputed figure {raw!r} without saying who claims it",
                    )
                )
                break
    return issues, facts


MIN_WORD_SUPPORT = 0.5  # share of a sentence's content words that must occur in the articles
_STOP = _wordset(
    "the and for that with from this have has had was were are been its their they them his her she him "
    "who whom which what when where while about after before into over under than then there these those "
    "also but not any all can could would should will may might must did does said says say just only "
    "more most other some such very one two our out you your yours ours itself upon onto per via"
)
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


def _stem(word: str) -> str:
    w = word.lower().removesuffix("'s").removesuffix("’s")
    for suffix in ("ing", "ed", "es", "s"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


@functools.lru_cache(maxsize=256)
def _vocabulary(text: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in _WORD.findall(text))


def _latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isascii() for c in letters) / len(letters) > 0.8


def word_support(text: str, articles: Sequence[Article]) -> float | None:
    """Share of ``text``'s content words found in ``articles``; None when not measurable.

    This catches sentences that name nothing checkable yet come from nowhere: a leaked system
    prompt, boilerplate a model invents, instructions. It is skipped across scripts (a Korean
    cluster summarized in English) and for very short texts.
    """
    words = [_stem(w) for w in _WORD.findall(unquoted(text)) if w.lower() not in _STOP]
    if len(words) < 4 or not _latin(text) or not any(_latin(a.text[:2000]) for a in articles):
        return None
    vocab: frozenset[str] = frozenset().union(*(_vocabulary(a.text) for a in articles))
    return sum(w in vocab for w in words) / len(words)


def _scripts(text: str) -> set[str]:
    """Writing systems of the letters in ``text`` (LATIN, CJK, HANGUL, CYRILLIC, ...)."""
    out = set()
    for ch in set(text):
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            out.add(name.split(" ")[0] if name else "?")
    return out


@functools.lru_cache(maxsize=256)
def _article_scripts(text: str) -> frozenset[str]:
    return frozenset(_scripts(text))


def _support_issue(where: str, text: str, articles: Sequence[Article]) -> list[GroundingIssue]:
    # A small model sometimes slips into another language mid-sentence ("global领导"): letters of a
    # writing system that no article uses cannot come from the sources.
    foreign = _scripts(text) - frozenset().union(*(_article_scripts(a.text) for a in articles))
    if foreign:
        return [
            GroundingIssue(
                kind="citation_unsupported",
                where=where,
                detail=f"uses {', '.join(sorted(foreign)).lower()} script, which no article uses; "
                "it is not drawn from the sources",
            )
        ]
    share = word_support(text, articles)
    if share is None or share >= MIN_WORD_SUPPORT:
        return []
    return [
        GroundingIssue(
            kind="citation_unsupported",
            where=where,
            detail=f"only {share:.0%} of its words occur in any article; it is not drawn from the sources",
        )
    ]


def _role_supported(role: str, articles: Sequence[Article]) -> bool:
    """Roles are written in Title Case ("Speaker of the Senate"), so the name check skips them;
    instead every capitalised word of a role must occur, in any case, in some article."""
    if _check_facts(role, articles, articles).missing_names:
        return False
    words = {w.lower() for w in re.findall(r"\b[A-Z][\w.'’-]*", role)} - _STOP
    vocab = " ".join(a.text.lower() for a in articles)
    return all(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", vocab) for w in words)


def _missing_fact_issues(where: str, facts: _SentenceCheck) -> list[GroundingIssue]:
    """Numbers and names that no article contains."""
    return [
        GroundingIssue(kind="number_unsupported", where=where, detail=f"says {r!r} but no article contains that number")
        for r in facts.missing_numbers
    ] + [
        GroundingIssue(kind="name_unsupported", where=where, detail=f"names {n!r}, which appears in no article")
        for n in facts.missing_names
    ]


def _loaded_issues(where: str, text: str) -> list[GroundingIssue]:
    """Loaded or evaluative terms in the brief's own voice (quoted text is the speaker's)."""
    hits = find_loaded(text)
    if not hits:
        return []
    detail = "uses " + ", ".join(repr(h.text) for h in hits) + " in the brief's own voice"
    return [GroundingIssue(kind="loaded_language", where=where, detail=detail)]


def _voice_issues(where: str, text: str, articles: Sequence[Article]) -> list[GroundingIssue]:
    """Checks for text in the brief's voice that cites nothing (titles, stances)."""
    if not text.strip():
        return []
    if injection_markers(text):
        return [GroundingIssue(kind="injection", where=where, detail=_INJECTION_DETAIL)]
    issues = _support_issue(where, text, articles) if where == "title" else []
    issues += _missing_fact_issues(where, _check_facts(text, articles, articles))
    return issues + _loaded_issues(where, text)


def _entity_in_sources(name: str, articles: Sequence[Article]) -> bool:
    pattern = re.compile(r"(?<![\w])" + re.escape(normalize(name, casefold=True)) + r"(?![\w])")
    return any(pattern.search(_norm_article(a.text)[0]) for a in articles)


def check(
    brief: StoryBrief, articles: Sequence[Article], evidence: ev.Evidence | None = None
) -> list[GroundingIssue]:
    """Everything in ``brief`` that its sources do not support (the brief is not changed)."""
    arts = list(articles)
    by_id = {a.id: a for a in arts}
    disputed = _disputed_values(brief, evidence)
    issues: list[GroundingIssue] = []
    issues += _voice_issues("title", brief.title, arts)
    for section, items in (("summary", list(brief.summary)), ("key_points", brief.key_points)):
        for i, cs in enumerate(items):
            issues += _sentence_issues(f"{section}[{i}]", cs.text, cs.sources, arts, disputed)[0]
    for pi, p in enumerate(brief.perspectives):
        base = f"perspectives[{pi}]"
        if injection_markers(p.actor + " " + p.role):
            issues.append(
                GroundingIssue(
                    kind="injection",
                    where=f"{base}.actor",
                    detail="instruction-like text in the actor or role",
                )
            )
        elif _check_facts(p.actor, arts, arts).missing_names:
            issues.append(
                GroundingIssue(
                    kind="name_unsupported",
                    where=f"{base}.actor",
                    detail=f"actor {p.actor!r} appears in no article",
                )
            )
        issues += _voice_issues(f"{base}.stance", p.stance, arts)
        issues += [
            GroundingIssue(
                kind="citation_dangling",
                where=f"{base}.sources",
                detail=f"cites article {s!r}, which is not in the cluster",
            )
            for s in p.sources
            if s not in by_id
        ]
        for si, st in enumerate(p.statements):
            for ri, q in enumerate(st.renderings):
                where = f"{base}.statements[{si}].renderings[{ri}]"
                result = verify_quote(q, arts)
                if result.status == "fabricated":
                    issues.append(
                        GroundingIssue(
                            kind="quote_fabricated",
                            where=where,
                            detail=f"the quote {q.text[:80]!r} is {result.detail}",
                        )
                    )
                    continue
                if result.status != "ok":
                    issues.append(
                        GroundingIssue(
                            kind="quote_repaired", where=where, detail=f"{result.status}: {result.detail}"
                        )
                    )
                fixed = result.quote
                if not speaker_supported(fixed, by_id[fixed.article_id], evidence=evidence):
                    issues.append(
                        GroundingIssue(
                            kind="quote_speaker",
                            where=where,
                            detail=f"{fixed.speaker!r} is not named near the quote in article {fixed.article_id}",
                        )
                    )
    for di, d in enumerate(brief.disagreements):
        for ci, c in enumerate(d.claims):
            where = f"disagreements[{di}].claims[{ci}]"
            issues += [
                GroundingIssue(
                    kind="citation_dangling",
                    where=where,
                    detail=f"cites article {s!r}, which is not in the cluster",
                )
                for s in c.sources
                if s not in by_id
            ]
            for raw, values in _numbers_in(c.value):
                if not any(_number_supported(values, a) for a in arts):
                    issues.append(
                        GroundingIssue(
                            kind="number_unsupported",
                            where=where,
                            detail=f"says {raw!r} but no article contains that number",
                        )
                    )
    for kind in ("countries", "organizations", "persons"):
        for ei, e in enumerate(getattr(brief.entities, kind)):
            if not _entity_in_sources(e.name, arts):
                issues.append(
                    GroundingIssue(
                        kind="entity_unsupported",
                        where=f"entities.{kind}[{ei}]",
                        detail=f"{e.name!r} occurs in no article",
                    )
                )
    for si, s in enumerate(brief.sources):
        if s.article_id not in by_id:
            issues.append(
                GroundingIssue(
                    kind="citation_dangling",
                    where=f"sources[{si}]",
                    detail=f"article {s.article_id!r} is not in the cluster",
                )
            )
    return issues


_ADVICE = {
    "citation_unsupported": "cite the article numbers that contain these facts, or remove the sentence",
    "number_unsupported": "use only figures from the articles and attribute them",
    "name_unsupported": "use only names that appear in the articles",
    "loaded_language": "use neutral wording, or quote the word and say who used it",
    "unattributed_claim": "say who claims it (e.g. 'according to ...'), or give each source's figure",
    "quote_fabricated": "choose quotes by id from the numbered quote list instead of writing them",
}


def describe_for_reask(issues: Sequence[GroundingIssue]) -> list[str]:
    """One short instruction per re-askable issue, for the re-ask prompt."""
    return [f"{i.where} {i.detail}; {_ADVICE[i.kind]}." for i in issues if i.kind in REASKABLE]


# ============================================================================ repair


class _Repairer:
    def __init__(self, brief: StoryBrief, articles: Sequence[Article], evidence: ev.Evidence | None) -> None:
        self.brief = brief
        self.articles = list(articles)
        self.by_id = {a.id: a for a in self.articles}
        self.evidence = evidence
        self.disputed = _disputed_values(brief, evidence)
        self.issues: list[GroundingIssue] = []
        self.report = GroundingReport(reasks=brief.grounding.reasks)

    def note(self, kind: str, where: str, detail: str, action: str) -> None:
        self.issues.append(GroundingIssue(kind=kind, where=where, detail=detail, action=action))  # type: ignore[arg-type]

    # ------------------------------------------------------------------ sentences
    def sentence(self, where: str, cs: CitedSentence) -> CitedSentence | None:
        r = self.report
        r.sentences_checked += 1
        issues, facts = _sentence_issues(where, cs.text, cs.sources, self.articles, self.disputed)
        if facts is not None:
            r.numbers_checked += facts.n_numbers
            r.names_checked += facts.n_names
            r.numbers_unsupported += len(facts.missing_numbers)
            r.names_unsupported += len(facts.missing_names)
        fatal = [i for i in issues if i.kind in ("injection", "number_unsupported", "name_unsupported")
                 or (i.kind == "citation_unsupported" and "not drawn from the sources" in i.detail)]
        if fatal:
            for i in fatal:
                self.note(i.kind, where, i.detail, "dropped")
            r.sentences_dropped += 1
            return None
        sources = [s for s in dict.fromkeys(cs.sources) if s in self.by_id]
        repaired = False
        for i in issues:
            if i.kind == "citation_dangling":
                self.note(i.kind, where, i.detail, "repaired")
                repaired = True
        assert facts is not None
        checkable = facts.n_numbers + facts.n_names
        if checkable and len(sources) > 1:
            # A citation must support the sentence, not just share a word with it: each cited article
            # has to hold at least half of the sentence's names and numbers ("cite everything" fails).
            held = {
                s: checkable - len(_check_facts(cs.text, [self.by_id[s]], self.articles).uncited_facts)
                for s in sources
            }
            keep = [s for s in sources if 2 * held[s] >= checkable] or [max(sources, key=lambda s: held[s])]
            if keep != sources:
                dropped = [s for s in sources if s not in keep]
                self.note(
                    "citation_repaired",
                    where,
                    "removed citation(s) to " + ", ".join(dropped)
                    + ", which hold fewer than half of the sentence's names and numbers",
                    "repaired",
                )
                repaired = True
                sources = keep
        # Re-cite: add, per fact no cited article holds, an article that has it (preferring one that covers most).
        uncited = _check_facts(cs.text, [self.by_id[s] for s in sources], self.articles).uncited_facts
        pending = dict(uncited)
        while pending:
            counts: dict[str, int] = {}
            for others in pending.values():
                for aid in others:
                    counts[aid] = counts.get(aid, 0) + 1
            best = max(counts, key=lambda a: (counts[a], -[x.id for x in self.articles].index(a)))
            sources.append(best)
            pending = {f: o for f, o in pending.items() if best not in o}
        if uncited:
            self.note(
                "citation_repaired",
                where,
                "re-cited to "
                + ", ".join(sources)
                + " ("
                + ", ".join(map(repr, uncited))
                + " were not in the cited articles)",
                "repaired",
            )
            repaired = True
        if not sources:
            self.note("citation_unsupported", where, "cites no article of the cluster", "dropped")
            r.sentences_dropped += 1
            return None
        text = cs.text
        if any(i.kind == "loaded_language" for i in issues):
            text, removed = remove_intensifiers(text)
            remaining = find_loaded(text)
            r.loaded_terms += len(removed) + len(remaining)
            if removed:
                self.note("loaded_language", where, "removed " + ", ".join(map(repr, removed)), "repaired")
                repaired = True
            if remaining:
                self.note(
                    "loaded_language",
                    where,
                    "uses " + ", ".join(repr(h.text) for h in remaining) + " in the brief's own voice",
                    "flagged",
                )
        for i in issues:
            if i.kind == "unattributed_claim":
                self.note(i.kind, where, i.detail, "flagged")
        if repaired:
            r.sentences_repaired += 1
        return CitedSentence(text=text, sources=sources)

    def lead_fallback(self) -> CitedSentence:
        for art in self.articles:
            if art.duplicate_of:
                continue
            for s, e in ev.sentence_spans(art.text):
                sentence = art.text[s:e]
                if len(sentence.split()) >= 8 and not injection_markers(sentence):
                    self.note(
                        "citation_unsupported",
                        "summary",
                        f"no summary sentence was supported; used the lead sentence of article {art.id}",
                        "repaired",
                    )
                    return CitedSentence(text=re.sub(r"\s+", " ", sentence), sources=[art.id])
        art = self.articles[0]
        self.note(
            "citation_unsupported",
            "summary",
            f"no summary sentence was supported; used the title of article {art.id}",
            "repaired",
        )
        return CitedSentence(text=art.title or art.text[:200], sources=[art.id])

    # ------------------------------------------------------------------ voice fields
    def voice(self, where: str, text: str) -> str:
        issues = _voice_issues(where, text, self.articles)
        if any(i.kind in ("injection", "number_unsupported", "name_unsupported", "citation_unsupported")
               for i in issues):
            for i in issues:
                self.note(i.kind, where, i.detail, "dropped")
            return ""
        if any(i.kind == "loaded_language" for i in issues):
            text, removed = remove_intensifiers(text)
            remaining = find_loaded(text)
            self.report.loaded_terms += len(removed) + len(remaining)
            if removed:
                self.note("loaded_language", where, "removed " + ", ".join(map(repr, removed)), "repaired")
            if remaining:
                self.note(
                    "loaded_language",
                    where,
                    "uses " + ", ".join(repr(h.text) for h in remaining) + " in the brief's own voice",
                    "flagged",
                )
        return text

    # ------------------------------------------------------------------ quotes
    def quote(self, where: str, q: Quote) -> Quote | None:
        r = self.report
        r.quotes_checked += 1
        result = verify_quote(q, self.articles)
        if result.status == "fabricated":
            self.note("quote_fabricated", where, f"the quote {q.text[:80]!r} is {result.detail}", "dropped")
            r.quotes_dropped += 1
            return None
        fixed = result.quote
        art = self.by_id[fixed.article_id]
        # Evidence decides who speaks; the wider plain-window check keeps the result valid for
        # validate_brief, which has no evidence.
        if not (
            speaker_supported(fixed, art, evidence=self.evidence)
            and speaker_supported(fixed, art, window=VALIDATE_SPEAKER_WINDOW)
        ):
            self.note(
                "quote_speaker",
                where,
                f"{fixed.speaker!r} is not named near the quote in article {fixed.article_id}",
                "dropped",
            )
            r.quotes_dropped += 1
            return None
        if result.status != "ok":
            self.note("quote_repaired", where, f"{result.status}: {result.detail}", "repaired")
            r.quotes_repaired += 1
        return fixed

    def perspective(self, pi: int, p: Perspective) -> Perspective | None:
        base = f"perspectives[{pi}]"
        if injection_markers(p.actor + " " + p.role):
            self.note("injection", f"{base}.actor", "instruction-like text in the actor or role", "dropped")
            return None
        if _check_facts(p.actor, self.articles, self.articles).missing_names:
            self.note(
                "name_unsupported", f"{base}.actor", f"actor {p.actor!r} appears in no article", "dropped"
            )
            return None
        statements: list[Statement] = []
        for si, st in enumerate(p.statements):
            renderings: list[Quote] = []
            for ri, q in enumerate(st.renderings):
                fixed = self.quote(f"{base}.statements[{si}].renderings[{ri}]", q)
                if fixed and not any(
                    (x.article_id, x.start, x.end) == (fixed.article_id, fixed.start, fixed.end)
                    for x in renderings
                ):
                    renderings.append(fixed)
            if renderings:
                statements.append(Statement(speaker=st.speaker, renderings=renderings))
        stance = self.voice(f"{base}.stance", p.stance)
        role = p.role if _role_supported(p.role, self.articles) else ""
        if p.role and not role:
            self.note("name_unsupported", f"{base}.role", f"role {p.role!r} is not in the articles", "dropped")
        dangling = [s for s in p.sources if s not in self.by_id]
        for s in dangling:
            self.note(
                "citation_dangling",
                f"{base}.sources",
                f"cites article {s!r}, which is not in the cluster",
                "repaired",
            )
        sources = [s for s in p.sources if s in self.by_id]
        sources += [q.article_id for st in statements for q in st.renderings if q.article_id not in sources]
        if not statements and not stance:
            self.note(
                "citation_unsupported", base, f"nothing about {p.actor!r} survived the checks", "dropped"
            )
            return None
        return Perspective(
            actor=p.actor,
            role=role,
            stance=stance,
            statements=statements,
            sources=list(dict.fromkeys(sources)),
        )

    # ------------------------------------------------------------------ lists
    def disagreement(self, di: int, d: Disagreement) -> Disagreement | None:
        claims = []
        for ci, c in enumerate(d.claims):
            where = f"disagreements[{di}].claims[{ci}]"
            sources = [s for s in c.sources if s in self.by_id]
            bad = [
                raw
                for raw, vals in _numbers_in(c.value)
                if not any(_number_supported(vals, a) for a in self.articles)
            ]
            self.report.numbers_checked += len(_numbers_in(c.value))
            if bad or not sources:
                self.report.numbers_unsupported += len(bad)
                self.note(
                    "number_unsupported" if bad else "citation_dangling",
                    where,
                    f"says {bad[0]!r} but no article contains that number"
                    if bad
                    else "cites no article of the cluster",
                    "dropped",
                )
                continue
            claims.append(c.model_copy(update={"sources": sources}))
        if len(claims) < 2:
            if len(claims) < len(d.claims):
                self.note(
                    "citation_unsupported",
                    f"disagreements[{di}]",
                    "fewer than two claims survived",
                    "dropped",
                )
            return None if len(claims) < 2 else d
        return Disagreement(subject=d.subject, claims=claims)

    def entities(self, e: Entities) -> Entities:
        out = {}
        for kind in ("countries", "organizations", "persons"):
            kept = []
            for ei, ent in enumerate(getattr(e, kind)):
                if not _entity_in_sources(ent.name, self.articles):
                    self.note(
                        "entity_unsupported",
                        f"entities.{kind}[{ei}]",
                        f"{ent.name!r} occurs in no article",
                        "dropped",
                    )
                    continue
                kept.append(ent.model_copy(update={"sources": [s for s in ent.sources if s in self.by_id]}))
            out[kind] = kept
        return Entities(**out)

    def run(self) -> StoryBrief:
        b = self.brief
        title = b.title
        if injection_markers(title):
            self.note("injection", "title", _INJECTION_DETAIL, "repaired")
            title = next(
                (a.title for a in self.articles if a.title and not injection_markers(a.title)),
                "Untitled story",
            )
        else:
            title = self.voice("title", title) or next((a.title for a in self.articles if a.title), title)
        summary = [s for i, cs in enumerate(b.summary) if (s := self.sentence(f"summary[{i}]", cs))]
        if not summary:
            summary = [self.lead_fallback()]
        key_points = [s for i, cs in enumerate(b.key_points) if (s := self.sentence(f"key_points[{i}]", cs))]
        perspectives = [p for i, x in enumerate(b.perspectives) if (p := self.perspective(i, x))]
        disagreements = [d for i, x in enumerate(b.disagreements) if (d := self.disagreement(i, x))]
        sources: list[Source] = []
        for si, src in enumerate(b.sources):
            if src.article_id in self.by_id:
                sources.append(src)
            else:
                self.note(
                    "citation_dangling",
                    f"sources[{si}]",
                    f"article {src.article_id!r} is not in the cluster",
                    "dropped",
                )
        report = self.report
        report.issues = list(b.grounding.issues) + self.issues
        return b.model_copy(
            update={
                "title": title,
                "summary": Summary(summary),
                "key_points": key_points,
                "perspectives": perspectives,
                "disagreements": disagreements,
                "sources": sources,
                "entities": self.entities(b.entities),
                "grounding": report,
            }
        )


def repair(brief: StoryBrief, articles: Sequence[Article], evidence: ev.Evidence | None = None) -> StoryBrief:
    """A new brief with every repairable problem repaired and the rest dropped or flagged.

    ``brief.grounding`` of the result counts what was checked, repaired and dropped; its
    ``reasks`` and any issues already recorded (e.g. by the pipeline's re-asks) are kept.
    """
    return _Repairer(brief, articles, evidence).run()


# ============================================================================ strict validation


def validate_brief(brief: StoryBrief, articles: Sequence[Article]) -> list[str]:
    """Problems that make ``brief`` untrustworthy; ``[]`` for a grounded brief.

    Strict: every quote verbatim in its cited article (offsets, when given, must point at it)
    with its speaker named nearby; every citation names an article of the cluster; every
    number and name of the summary and key points appears in some article.
    """
    by_id = {a.id: a for a in articles}
    problems: list[str] = []
    for pi, p in enumerate(brief.perspectives):
        for si, st in enumerate(p.statements):
            for ri, q in enumerate(st.renderings):
                where = f"perspectives[{pi}].statements[{si}].renderings[{ri}]"
                art = by_id.get(q.article_id)
                if art is None:
                    problems.append(f"{where} cites article {q.article_id!r}, which is not in the cluster")
                    continue
                if q.start is not None and q.end is not None:
                    ok = art.text[q.start : q.end] == q.text
                else:
                    ok = bool(q.text) and q.text in art.text
                if not ok:
                    problems.append(
                        f"{where}: quote {q.text[:60]!r} is not verbatim in article {q.article_id}"
                    )
                elif not speaker_supported(q, art, window=VALIDATE_SPEAKER_WINDOW):
                    problems.append(
                        f"{where}: speaker {q.speaker!r} is not named near the quote in article {q.article_id}"
                    )
        problems += [
            f"perspectives[{pi}].sources cites unknown article {s!r}" for s in p.sources if s not in by_id
        ]
    for section, items in (("summary", list(brief.summary)), ("key_points", brief.key_points)):
        for i, cs in enumerate(items):
            problems += [f"{section}[{i}] cites unknown article {s!r}" for s in cs.sources if s not in by_id]
            facts = _check_facts(cs.text, articles, articles)
            problems += [f"{section}[{i}]: number {n!r} is in no article" for n in facts.missing_numbers]
            problems += [f"{section}[{i}]: name {n!r} is in no article" for n in facts.missing_names]
    for di, d in enumerate(brief.disagreements):
        for ci, c in enumerate(d.claims):
            problems += [
                f"disagreements[{di}].claims[{ci}] cites unknown article {s!r}"
                for s in c.sources
                if s not in by_id
            ]
    for kind in ("countries", "organizations", "persons"):
        for ei, e in enumerate(getattr(brief.entities, kind)):
            problems += [
                f"entities.{kind}[{ei}] cites unknown article {s!r}" for s in e.sources if s not in by_id
            ]
    problems += [
        f"sources[{si}]: article {s.article_id!r} is not in the cluster"
        for si, s in enumerate(brief.sources)
        if s.article_id not in by_id
    ]
    return problems
