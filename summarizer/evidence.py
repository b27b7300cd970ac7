"""What the articles verifiably contain, found by code before any model runs.

``collect(articles)`` lists the checkable material of a cluster: quoted spans with
their speakers, numbers with their claimants, named entities, and the figures on
which the sources disagree. The model later chooses among these candidates (by id)
instead of writing quotes itself, and :mod:`summarizer.grounding` holds the brief
to them. Everything here is deterministic: regular expressions, small gazetteers in
``summarizer/data/`` and a handful of rules, each of which favours precision over recall.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources

from .schema import Article, Claim, Disagreement, Entities, Entity, Quote, Statement

# Quotes shorter than this are scare quotes or labels (“co-belligerents”, “fake news”):
# kept apart as ``Evidence.fragments`` so that prompts offer only real statements.
MIN_QUOTE_WORDS = 4

# ============================================================================ data files


def _data_lines(name: str) -> list[str]:
    text = resources.files("summarizer").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@functools.cache
def gazetteer(name: str) -> dict[str, str]:
    """``surface form -> canonical name`` from a ``Canonical|alias|...`` data file."""
    table: dict[str, str] = {}
    for line in _data_lines(name):
        names = [p.strip() for p in line.split("|") if p.strip()]
        for surface in names:
            table.setdefault(surface, names[0])
    return table


@functools.cache
def _gazetteer_re(name: str) -> re.Pattern[str]:
    surfaces = sorted(gazetteer(name), key=len, reverse=True)  # longest first: "South Sudan" before "Sudan"
    return re.compile(r"(?<![\w’'])(?:" + "|".join(re.escape(s) for s in surfaces) + r")(?![\w])")


@functools.lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """``demonym -> country`` ("Ukrainian" -> "Ukraine")."""
    return dict(line.split("|", 1) for line in _data_lines("gazetteer_demonyms.txt"))  # type: ignore[misc]


# ============================================================================ word lists


def _wordset(words: str) -> frozenset[str]:
    """A word list written as one whitespace-separated string (easier to read and edit)."""
    return frozenset(words.split())


SPEECH_VERBS = (
    "said|says|say|stated|states|remarked|commented|added|adds|noted|notes|emphasized|emphasised|"
    "stressed|told|tells|asked|asks|explained|explains|continued|concluded|wrote|writes|responded|"
    "replied|answered|declared|insisted|argued|warned|claimed|claims|announced|spoke|tweeted|posted|"
    "urged|acknowledged|recalled|observed|predicted|vowed|reiterated|cautioned|contended|maintained|"
    "countered|charged|complained|lamented|admitted|conceded|confirmed|denied|suggested|mused|"
    "quipped|joked|pointed out|recounted|testified|reads|read"
)
_PARTICIPLES = (
    r"stating|saying|adding|noting|writing|warning|insisting|arguing|declaring|explaining|"
    r"emphasi[sz]ing|stressing|telling\s+\w+|calling\s+(?:it|them|him|her|this|that)(?:\s+a|\s+an)?|"
    r"describing\s+(?:it|them|him|her|this|that)\s+as|referring\s+to\s+(?:it|them|him|her)\s+as|"
    r"labell?ing\s+(?:it|them)(?:\s+as)?|dismissing\s+(?:it|them)\s+as"
)
_AUX = r"(?:(?:also|then|later|has|had|have|was|were|is|further|previously|once|again|\w+ly)\s+){0,3}"

TITLE_WORDS = _wordset(
    """
    president vice secretary secretary-general minister prime chancellor spokesperson spokesman
    spokeswoman spokespeople chief leader director general gen commander senator sen rep reps
    representative congressman congresswoman governor gov mayor judge justice ambassador envoy
    king queen prince princess pope premier chairman chairwoman chair ceo founder head deputy
    official adviser advisor analyst professor prof dr mr mrs ms widow wife husband son daughter
    lawyer attorney candidate lawmaker coach speaker sheriff lieutenant lt colonel col captain
    capt sergeant sgt admiral adm marshal correspondent reporter journalist economist researcher
    expert pastor rabbi imam cardinal bishop councilman councilwoman commissioner administrator
    emperor activist author writer actor singer executive investor billionaire businessman
    businesswoman scientist doctor agent inspector major maj cmdr sir lord lady dame chief-of-
    staff drugmaker automaker carmaker chipmaker firm giant startup retailer rapper host anchor
    """
)
# Capitalised words that start sentences or label things but are never part of a person's name.
_NOT_NAME = _wordset(
    """
    the a an this that these those on in at by for from with without as but and or if when while
    after before during since until meanwhile however earlier later today yesterday tomorrow it
    he she they we i you his her their our its my your there here what who why how where which
    not no yes monday tuesday wednesday thursday friday saturday sunday january february march
    april may june july august september october november december jan feb mar apr jun jul aug
    sep sept oct nov dec north south east west northern southern eastern western central new old
    former ex acting first second third according related post posted updated image images photo
    photos source top close text size join special coverage read more advertisement share watch
    video click subscribe sign follow republic federation kingdom state states united union
    national international federal foreign defense defence intelligence security military army
    navy ministry department agency service council party parliament duma university court
    congress senate house office bureau committee commission assembly government administration
    police force forces group oblast region province city county district street summit
    conference treaty article charter act bill law plan war breaking live update exclusive
    analysis opinion editorial report reports news press media daily times post journal herald
    tribune review weekly story stories all rights reserved democrat democrats democratic
    republican republicans gop left right centre center god christmas easter mosque church
    square street avenue airport hospital bridge park river mountain island hotel station museum
    palace temple cathedral stadium school college prison base project program programme
    statistics circuit chiefs joint company energy network institute pharmaceuticals
    therapeutics biotherapeutics pharma holdings partners capital ventures labs systems
    technologies motors airlines fifth fourth sixth seventh eighth ninth tenth
    """
)
_ORG_KEYWORDS = _wordset(
    """
    ministry agency service directorate department council party parliament duma university
    court congress committee commission bank army navy corporation institute foundation
    organization organisation association assembly senate bureau office administration authority
    guard command police union league federation fund forum
    """
)
_ORG_CONNECTORS = frozenset({"of", "for", "and", "the", "on", "de"})
_EAST_ASIAN_FAMILY = _wordset(
    """
    Kim Lee Park Choi Jung Moon Yoon Han Xi Li Wang Zhang Liu Chen Yang Zhao Huang Zhou Wu Sun
    Hu Wen Ma Tsai Lai Hun
    """
)

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"

# ============================================================================ text helpers

_ABBREV = _wordset(
    """
    mr mrs ms dr st gen sen rep reps gov lt col sgt capt cmdr adm maj jr sr inc co corp ltd no
    vs etc jan feb mar apr jun jul aug sep sept oct nov dec prof rev ft mt pres atty dept est
    approx fig
    """
)
_TOKEN_RE = re.compile(r"[^\W\d_][\w’'\-]*")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence; a line break always ends one (headlines, captions)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer(r"[.!?]+[”\"’')\]]*(?=\s)|\n", text):
        if m.group() != "\n":
            words = _TOKEN_RE.findall(text[max(start, m.start() - 20) : m.start()])
            last = words[-1] if words and text[m.start() - len(words[-1]) : m.start()] == words[-1] else ""
            if last.lower() in _ABBREV or (len(last) == 1 and last.isupper()):
                continue  # "Sen. Markey", "U.S. troops", "Kim Jong U. " -- not an end
            nxt = text[m.end() :].lstrip(" \t")[:1]
            if nxt and not (nxt.isupper() or nxt in "“\"‘'([\n"):
                continue  # "October. 26" or "e.g. the"
        end = m.end() if m.group() != "\n" else m.start()
        _add_span(text, start, end, spans)
        start = m.end()
    _add_span(text, start, len(text), spans)
    return spans


def _add_span(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


def quote_spans(text: str) -> list[tuple[int, int]]:
    """``(open, close)`` indices of the quotation marks of each quoted span, in text order.

    Pairs “…”, „…“, «…», straight "…" (paired in order within a line) and ‘…’ (only where
    the closing ’ is not an apostrophe). A quote never crosses a line break: news style
    leaves a multi-paragraph quote open at the paragraph end, and such spans are skipped.
    """
    spans: list[tuple[int, int]] = []
    line_start = 0
    for line in text.split("\n"):
        spans.extend((line_start + o, line_start + c) for o, c in _line_quote_spans(line))
        line_start += len(line) + 1
    return sorted(spans)


def _line_quote_spans(line: str) -> list[tuple[int, int]]:
    doubles: list[tuple[int, int]] = []
    opener: tuple[int, str] | None = None
    for i, ch in enumerate(line):
        if ch in "“«„" and not (opener and opener[1] == "„" and ch == "“"):
            opener = (i, ch)  # an earlier opener left unclosed is dropped
        elif opener and (ch in "”»" or (ch == "“" and opener[1] == "„")):
            doubles.append((opener[0], i))
            opener = None
    straight = [i for i, ch in enumerate(line) if ch == '"']
    doubles.extend(zip(straight[0::2], straight[1::2]))
    doubles.sort()
    # Drop spans nested in others (a straight pair inside curly quotes, etc.).
    outer: list[tuple[int, int]] = []
    for o, c in doubles:
        if not any(o2 < o and c < c2 for o2, c2 in doubles):
            outer.append((o, c))
    singles: list[tuple[int, int]] = []
    for m in re.finditer(r"(?:(?<=^)|(?<=[\s(\[—–-]))‘([^‘’\n]{2,300}?)’(?![^\W_])", line):
        o, c = m.start(), m.end() - 1
        if not any(o2 < o < c2 for o2, c2 in outer):
            singles.append((o, c))
    return sorted(outer + singles)


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:['’][^\W_]+)?", text)


# ============================================================================ data classes


@dataclass(frozen=True)
class QuoteCandidate:
    """A quoted span of one article, with the speaker named near it (if any)."""

    id: int
    article_id: str
    text: str
    start: int
    end: int
    speaker: str | None
    context: str
    fragment: bool = False  # fewer than MIN_QUOTE_WORDS words: a scare quote or label

    def to_quote(self, speaker: str | None = None) -> Quote:
        """This span as a schema :class:`Quote`."""
        return Quote(
            text=self.text,
            speaker=speaker or self.speaker or "",
            article_id=self.article_id,
            start=self.start,
            end=self.end,
        )


@dataclass(frozen=True)
class NumberMention:
    """A figure in an article, with what it counts and who states it."""

    article_id: str
    raw: str
    value: float
    unit: str | None
    sentence: str
    claimant: str | None
    start: int
    end: int
    kind: str = "count"  # count, percent, money, year, date, ordinal, time
    qualifier: str = ""  # "about", "at least", "as many as", ...


@dataclass(frozen=True)
class Person:
    name: str  # the full name as written, e.g. "Vladimir Putin"
    keys: frozenset[str]  # tokens that refer to this person alone (usually the surname)


@dataclass
class Evidence:
    """Everything checkable in a cluster, for prompts and for grounding."""

    articles: list[Article]
    quotes: list[QuoteCandidate]
    numbers: list[NumberMention]
    entities: Entities
    disagreements: list[Disagreement]
    fragments: list[QuoteCandidate] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)

    def quote(self, quote_id: int) -> QuoteCandidate | None:
        """The candidate (quote or fragment) with this id, or None."""
        for q in self.quotes + self.fragments:
            if q.id == quote_id:
                return q
        return None

    def statements(self, quote_ids: Iterable[int], speaker: str | None = None) -> list[Statement]:
        """Turn chosen quote ids into Statements, one per thing said.

        Renderings of one statement (same speaker, similar content, different articles:
        translations) become one Statement; other articles' renderings are added even if
        only one id was chosen. With ``speaker`` (the perspective's actor), quotes whose
        detected speaker is someone else are left out: that is a misattribution.
        """
        pool = self.quotes + self.fragments
        chosen = [q for qid in dict.fromkeys(quote_ids) if (q := self.quote(qid)) is not None]
        if speaker:
            chosen = [q for q in chosen if q.speaker is None or names_match(q.speaker, speaker)]
        groups: list[list[QuoteCandidate]] = []
        for q in chosen:
            if any(q in g for g in groups):
                continue
            group = [q]
            for other in pool:
                if other is q or other.fragment != q.fragment or any(other in g for g in groups):
                    continue
                if _same_statement(q, other, speaker):
                    group.append(other)
            groups.append(_one_per_article(group, chosen))
        out: list[Statement] = []
        for group in groups:
            who = _group_speaker(group, speaker)
            if not who:
                continue  # nobody is named near the quote: it cannot be attributed
            renderings = [c.to_quote(_rendering_speaker(c, who)) for c in group]
            out.append(Statement(speaker=who, renderings=renderings))
        return out


# ============================================================================ names


def name_tokens(name: str) -> list[str]:
    """The significant tokens of a name: titles (President, Mr, ...) and possessives removed."""
    return [
        t
        for t in re.split(r"[\s\-]+", re.sub(r"['’]s\b", "", name))
        if t and t.lower().strip(".") not in TITLE_WORDS
    ]


def names_match(a: str, b: str) -> bool:
    """Whether two spellings name the same actor ("Putin" / "Vladimir Putin" / "President Putin")."""
    ta = {t.lower() for t in name_tokens(a)}
    tb = {t.lower() for t in name_tokens(b)}
    if not ta or not tb:
        return False
    if ta <= tb or tb <= ta:
        return True
    la, lb = name_tokens(a)[-1].lower(), name_tokens(b)[-1].lower()
    return la == lb and len(la) > 2


def _capital_runs(text: str) -> list[list[tuple[int, int, str]]]:
    """Runs of capitalised tokens separated only by spaces (or the dot of an initial)."""
    runs: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []
    for m in _TOKEN_RE.finditer(text):
        tok = m.group()
        if not tok[0].isupper():
            if current:
                runs.append(current)
            current = []
            continue
        if current:
            gap = text[current[-1][1] : m.start()]
            prev = current[-1][2]
            joined = re.fullmatch(r"[ \t]+", gap) or (len(prev) == 1 and re.fullmatch(r"\.[ \t]*", gap))
            possessive = re.search(r"['’]s$", prev)
            if not joined or possessive:
                runs.append(current)
                current = []
        current.append((m.start(), m.end(), tok))
    if current:
        runs.append(current)
    return runs


def _is_name_token(tok: str) -> bool:
    base = re.sub(r"['’]s$", "", tok)
    low = base.lower()
    if low in _NOT_NAME or low.strip(".") in TITLE_WORDS or low in _ORG_KEYWORDS:
        return False
    if (
        base in gazetteer("gazetteer_countries.txt")
        or base in demonyms()
        or base in gazetteer("gazetteer_orgs.txt")
    ):
        return False
    if len(base) > 1 and base.isupper():
        return False  # an acronym
    return bool(re.fullmatch(r"[^\W\d_][^\W\d_'’\-]*(?:[\-'’][^\W\d_]+)*\.?", base))


_TITLE_BEFORE = re.compile(r"([\w.\-]+)[\s,]*$")


def _person_cue(text: str, start: int, end: int, stripped_title: bool) -> bool:
    """Evidence that the capitalised words at ``text[start:end]`` name a person."""
    if stripped_title:
        return True
    before = _TOKEN_RE.findall(text[max(0, start - 60) : start])[-4:]
    if any(t.lower().strip(".") in TITLE_WORDS for t in before):
        return True
    after = text[end : end + 80]
    if re.match(
        r"\s*,\s*(?:the\s+|a\s+|an\s+)?(?:[\w’'\-.]+\s+){0,5}?(" + "|".join(TITLE_WORDS) + r")\b",
        after,
        re.IGNORECASE,
    ):
        return True
    return bool(re.match(r"\s+" + _AUX + r"(?:" + SPEECH_VERBS + r")\b", after))


def find_persons(articles: Sequence[Article]) -> list[Person]:
    """People named in full (2-4 capitalised words) with a title, a role or a speech verb nearby."""
    found: dict[str, int] = {}
    for art in articles:
        for run in _capital_runs(art.text):
            # Skip leading titles, places and labels: the name is what follows the last of them.
            cut = 0
            for i, (_, _, tok) in enumerate(run):
                if not _is_name_token(tok):
                    cut = i + 1
            name_toks = run[cut:]
            stripped_title = any(t[2].lower().strip(".") in TITLE_WORDS for t in run[:cut])
            if (
                not 2 <= len(name_toks) <= 4
                or len(name_toks[0][2]) < 2
                or len(name_toks[-1][2].rstrip(".")) < 2
            ):
                continue  # initials alone ("N.Y.") are no name
            if re.search(
                r"[A-Z][\w.]*\s+(?:of|for|and)\s+$", art.text[max(0, name_toks[0][0] - 40) : name_toks[0][0]]
            ):
                continue  # "Bureau of Labor Statistics"
            s, e = name_toks[0][0], name_toks[-1][1]
            name = re.sub(r"['’]s$", "", art.text[s:e])
            e = s + len(name)
            if _person_cue(art.text, s, e, stripped_title):
                found[name] = found.get(name, 0) + 1
    # "Kim Jong Un" and "Kim Jong-Un" are one person: keep the most frequent spelling.
    by_key: dict[str, str] = {}
    for name in sorted(found, key=lambda n: (-found[n], n)):
        # "Kim Jong-Un"/"Kim Jong Un" and "Donald J. Trump"/"Donald Trump" are one person.
        key = " ".join(t for t in re.split(r"[\s\-]+", name.lower()) if len(t.rstrip(".")) > 1)
        by_key.setdefault(key, name)
    names = list(by_key.values())
    # Keys: the surname, plus the family name for East Asian names; ambiguous keys are dropped.
    key_count: Counter[str] = Counter()
    raw_keys: dict[str, set[str]] = {}
    for name in names:
        toks = name.split()
        keys = {toks[-1]}
        if toks[0] in _EAST_ASIAN_FAMILY:
            keys.add(toks[0])
        raw_keys[name] = keys
        key_count.update(keys)
    return [Person(n, frozenset(k for k in raw_keys[n] if key_count[k] == 1)) for n in names]


def _person_mentions(text: str, persons: Sequence[Person]) -> list[tuple[int, int, Person]]:
    """Every mention of each person (full name or key) in ``text``: ``(start, end, person)``."""
    out: list[tuple[int, int, Person]] = []
    taken: list[tuple[int, int]] = []
    for p in persons:
        for m in re.finditer(r"(?<![\w’'])" + re.escape(p.name) + r"(?![\w])", text):
            out.append((m.start(), m.end(), p))
            taken.append((m.start(), m.end()))
    for p in persons:
        for key in p.keys:
            for m in re.finditer(r"(?<![\w’'\-])" + re.escape(key) + r"(?![\w\-])", text):
                if not any(s <= m.start() < e for s, e in taken):
                    out.append((m.start(), m.end(), p))
    return sorted(out, key=lambda t: t[0])


# ============================================================================ quotes

_NAMERUN = r"(?:(?:[A-Z][\w’'.\-]*|of|the|for)\s+){0,7}[A-Z][\w’'\-]*"
_AFTER_VERB_FIRST = re.compile(r"(?:" + SPEECH_VERBS + r")\s+(?P<who>" + _NAMERUN + r")")
_AFTER_FROM = re.compile(
    r"(?:" + SPEECH_VERBS + r")\s+(?:[a-z]+\s+){0,4}?(?:from|by)\s+(?P<who>" + _NAMERUN + r")"
)
_AFTER_NAME_FIRST = re.compile(
    r"(?P<who>" + _NAMERUN + r"|he|she|they)\s+" + _AUX + r"(?:" + SPEECH_VERBS + r")\b"
)
_BEFORE_FINITE = re.compile(
    r"(?P<who>"
    + _NAMERUN
    + r"|[Hh]e|[Ss]he)\s+"
    + _AUX
    + r"(?:"
    + SPEECH_VERBS
    + r")(?:\s+[a-z]+){0,3}\s*[,:]?\s*(?:that\s+)?$"
)
_BEFORE_VERB_END = re.compile(
    r"\b(?:" + SPEECH_VERBS + r")(?:\s+(?:at|to|in|on)?\s*[a-z]+){0,3}\s*[,:]\s*(?:that\s+)?$"
)
_BEFORE_PARTICIPLE = re.compile(r"(?:" + _PARTICIPLES + r")\s*[,:]?\s*(?:that\s+)?$")
_ACCORDING = re.compile(r"[Aa]ccording to (?P<who>" + _NAMERUN + r")")


class _ArticleIndex:
    """Per-article lookups shared by quote and number extraction."""

    def __init__(self, article: Article, persons: Sequence[Person]) -> None:
        self.article = article
        self.text = article.text
        self.sentences = sentence_spans(article.text)
        self.mentions = _person_mentions(article.text, persons)
        self.persons = persons

    def sentence_at(self, pos: int) -> tuple[int, int]:
        for s, e in self.sentences:
            if s <= pos < e:
                return s, e
        return pos, pos

    def context(self, start: int, end: int) -> str:
        parts = [(s, e) for s, e in self.sentences if s < end and e > start]
        if not parts:
            return self.text[start:end]
        return re.sub(r"\s+", " ", self.text[parts[0][0] : parts[-1][1]])

    def last_person_before(self, pos: int, floor: int = 0) -> Person | None:
        best = None
        for s, _, p in self.mentions:
            if floor <= s < pos:
                best = p
        return best

    def first_person_in(self, start: int, end: int) -> Person | None:
        for s, _, p in self.mentions:
            if start <= s < end:
                return p
        return None

    def resolve(self, who: str, at: int) -> str | None:
        """A speaker phrase -> a display name: a known person's full name, a pronoun's antecedent
        or the phrase itself (an outlet or institution)."""
        who = who.strip()
        if who.lower() in {"he", "she"}:
            p = self.last_person_before(at)
            return p.name if p else None
        if who.lower() == "they":
            return None
        for p in self.persons:
            if p.name in who or any(
                re.search(r"(?<![\w’'])" + re.escape(k) + r"(?![\w])", who) for k in p.keys
            ):
                return p.name
        toks = [t for t in _TOKEN_RE.findall(who) if t.lower().strip(".") not in TITLE_WORDS]
        if not toks or all(t.lower() in _NOT_NAME and t.lower() not in {"the"} for t in toks):
            return None
        if toks[0].lower() in _NOT_NAME - {"the"} and len(toks) == 1:
            return None
        return who


def _find_speaker(
    ix: _ArticleIndex, o: int, c: int, prev_quote: tuple[int, int, str | None] | None
) -> str | None:
    text = ix.text
    s_start, s_end = ix.sentence_at(o)
    s_end = max(s_end, ix.sentence_at(c)[1])
    # 1. Attribution right after the closing mark: ', Putin said' / 'said Putin' / 'he added'.
    after = text[c + 1 : min(len(text), c + 200)].split("\n", 1)[0]
    after = re.sub(r"^[\s,.;:!?—–\-]*", "", after)
    for rx in (_AFTER_NAME_FIRST, _AFTER_VERB_FIRST, _AFTER_FROM):
        m = rx.match(after)
        if m and (who := ix.resolve(m.group("who"), o)):
            return who
    # 2. Before the opening mark, in the same sentence (after any earlier quote in it).
    floor = s_start
    if prev_quote and prev_quote[1] < o and prev_quote[1] >= s_start:
        floor = prev_quote[1] + 1
    before = text[floor:o]
    m = _BEFORE_FINITE.search(before)
    if m and (who := ix.resolve(m.group("who"), floor + m.start())):
        return who
    verb_at_end = _BEFORE_VERB_END.search(before)
    if verb_at_end and prev_quote and prev_quote[2] and prev_quote[1] >= s_start and floor > s_start:
        return prev_quote[2]  # '“…,” he added, and said, “…”': the same speaker goes on
    if before.rstrip().endswith(":") or verb_at_end or _BEFORE_PARTICIPLE.search(before):
        p = ix.first_person_in(floor, o)
        if p:
            return p.name
        m = re.match(r"\s*(?:[A-Z][\w’'\-]*\s+){0,2}?(?P<pron>[Hh]e|[Ss]he)\b", before)
        if m:
            return ix.resolve(m.group("pron"), floor)
        ents = [em for em in _gazetteer_re("gazetteer_countries.txt").finditer(before)]
        ents += [em for em in _gazetteer_re("gazetteer_orgs.txt").finditer(before)]
        if ents:
            first = min(ents, key=lambda em: em.start())
            return first.group()
    # 3. 'according to X' anywhere in the sentence.
    m = _ACCORDING.search(text[s_start:s_end])
    if m and (who := ix.resolve(m.group("who"), o)):
        return who
    # 4. A quote standing alone right after another quote continues the same speaker.
    if (
        prev_quote
        and prev_quote[2]
        and o - prev_quote[1] < 300
        and not re.search(r"[^\s\W]", text[s_start:o])
    ):
        return prev_quote[2]
    return None


def _candidates(ix: _ArticleIndex) -> list[tuple[int, int, str, str | None, str]]:
    """``(start, end, text, speaker, context)`` of every quoted span in one article."""
    out = []
    prev: tuple[int, int, str | None] | None = None
    for o, c in quote_spans(ix.text):
        start, end = o + 1, c
        while start < end and ix.text[start].isspace():
            start += 1
        while end > start and (ix.text[end - 1].isspace() or ix.text[end - 1] == ","):
            end -= 1
        if end - start < 2 or not re.search(r"[^\W\d_]", ix.text[start:end]):
            continue
        speaker = _find_speaker(ix, o, c, prev)
        prev = (o, c, speaker)
        out.append((start, end, ix.text[start:end], speaker, ix.context(o, c + 1)))
    return out


def _norm_words(text: str) -> str:
    return " ".join(w.lower() for w in _words(text))


def _extract_quotes(indexes: Sequence[_ArticleIndex]) -> tuple[list[QuoteCandidate], list[QuoteCandidate]]:
    real: list[tuple[str, tuple[int, int, str, str | None, str]]] = []
    frags: list[tuple[str, tuple[int, int, str, str | None, str]]] = []
    for ix in indexes:
        cands = _candidates(ix)
        norms = [_norm_words(c[2]) for c in cands]
        seen: set[str] = set()
        for i, cand in enumerate(cands):
            n = norms[i]
            # Within one article, repeats (headline + caption) and quotes contained in a longer
            # quote of the same speaker add nothing: keep the first, longest form.
            if n in seen or any(
                j != i and n != norms[j] and f" {n} " in f" {norms[j]} " and cands[j][3] in (cand[3], None)
                for j in range(len(cands))
            ):
                continue
            seen.add(n)
            (real if len(_words(cand[2])) >= MIN_QUOTE_WORDS else frags).append((ix.article.id, cand))
    quotes = [
        QuoteCandidate(i + 1, aid, t, s, e, who, ctx) for i, (aid, (s, e, t, who, ctx)) in enumerate(real)
    ]
    base = len(quotes)
    fragments = [
        QuoteCandidate(base + i + 1, aid, t, s, e, who, ctx, fragment=True)
        for i, (aid, (s, e, t, who, ctx)) in enumerate(frags)
    ]
    return quotes, fragments


# ---------------------------------------------------------------------------- statement grouping

_STOP = _wordset(
    """
    a an the and or but if then than that this these those there here is are was were be been
    being am do does did have has had of in on at to for from by with as it its it's we us our
    you your they them their he him his she her i me my not no so what which who whom when where
    why how all any some such can could would should will shall may might must also just very
    more most only into about over under up down out again further once both each few other own
    same too s t don now
    """
)


def _content(text: str) -> set[str]:
    # A crude stem (first 5 letters) lets "images"/"image" and "agreements"/"agreement" meet.
    # Names inside a quote ("North Korean") are left out: many different remarks share them.
    out = set()
    for m in re.finditer(r"[^\W_]+(?:['’][^\W_]+)?", text):
        w = m.group()
        sentence_start = not text[: m.start()].strip() or re.search(r"[.!?:—]\s*$", text[: m.start()])
        if w.lower() in _STOP or len(w) < 2 or (w[0].isupper() and not sentence_start):
            continue
        out.add(w.lower()[:5])
    return out


def _similar(a: str, b: str) -> bool:
    ca, cb = _content(a), _content(b)
    if not ca or not cb:
        return False
    shared = len(ca & cb)
    return shared >= 2 and shared / min(len(ca), len(cb)) >= 0.25


def _same_statement(q: QuoteCandidate, other: QuoteCandidate, speaker: str | None) -> bool:
    if other.article_id == q.article_id:
        return False
    who_q = q.speaker or speaker
    if not who_q or not other.speaker or not names_match(who_q, other.speaker):
        return False
    return _similar(q.text, other.text)


def _one_per_article(group: list[QuoteCandidate], chosen: list[QuoteCandidate]) -> list[QuoteCandidate]:
    """One rendering per article: the chosen one, else the longest."""
    best: dict[str, QuoteCandidate] = {}
    for c in group:
        cur = best.get(c.article_id)
        if (
            cur is None
            or (c in chosen and cur not in chosen)
            or ((c in chosen) == (cur in chosen) and len(c.text) > len(cur.text))
        ):
            best[c.article_id] = c
    return sorted(best.values(), key=lambda c: c.id)


def _group_speaker(group: list[QuoteCandidate], speaker: str | None) -> str | None:
    names = Counter(c.speaker for c in group if c.speaker)
    if names:
        # The fullest spelling of the most common speaker ("Vladimir Putin" over "Putin").
        top = names.most_common(1)[0][0]
        return max((n for n in names if names_match(n, top)), key=len)
    return speaker


def _rendering_speaker(c: QuoteCandidate, who: str) -> str:
    return c.speaker if c.speaker and names_match(c.speaker, who) else who


# ============================================================================ numbers

_NUM_RE = re.compile(
    r"(?<![\w.,$€£\-])(?P<cur>[$€£])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<suffix>%|st\b|nd\b|rd\b|th\b)?(?:\s?(?P<scale>million|billion|trillion|thousand|bn)\b)?"
)
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
_QUALIFIER_RE = re.compile(
    r"(?:about|around|approximately|roughly|some|nearly|almost|at least|as many as|up to|more than|over|"
    r"fewer than|less than|an estimated|estimated|at most|close to|just over|just under)\s+$",
    re.IGNORECASE,
)
_UNIT_SKIP = _wordset(
    """
    more additional new active regular elite armed military combat extra other further young
    fresh foreign special trained well-trained reported estimated possible total
    """
)
_UNIT_STOP = _wordset(
    """
    by to in of on and or from the a an is are was were be been could would will can may might
    per for at as since this that these those than between into with within after before during
    while who which it its their his her our has have had
    """
)

# Units whose counts are typically contested; other units are listed but never compared.
UNIT_CLASSES: dict[str, frozenset[str]] = {
    "troops": _wordset(
        """
    troops troop soldiers soldier infantry infantrymen personnel servicemen servicemembers
    fighters forces men
    """
    ),
    "deaths": frozenset(["dead", "deaths", "death", "killed", "fatalities", "casualties", "lives", "bodies"]),
    "injured": frozenset(["injured", "wounded", "injuries"]),
    "protesters": frozenset(["protesters", "protestors", "demonstrators", "marchers", "rioters"]),
    "migrants": frozenset(["migrants", "refugees", "asylum-seekers", "immigrants", "crossings"]),
    "arrests": frozenset(["arrests", "arrested", "detained", "detainees"]),
    "hostages": frozenset(["hostages", "captives", "prisoners"]),
}


def unit_class(unit: str | None) -> str | None:
    """The comparable class of a unit noun ("soldiers" -> "troops"), or None."""
    if not unit:
        return None
    for name, words in UNIT_CLASSES.items():
        if unit.lower() in words:
            return name
    return None


def _number_kind(text: str, m: re.Match[str]) -> str:
    before, after = text[max(0, m.start() - 12) : m.start()], text[m.end() : m.end() + 14]
    num, suffix = m.group("num"), m.group("suffix")
    if re.match(r"[^\W\d_]", after) or re.search(r"[^\W\d_]-?$", before):
        return "other"  # "G20", "F-16", "5G"
    if re.match(r":\d", after) or re.search(r"\d:$", before):
        return "time"
    if re.search(r"(?:" + _MONTHS + r")\.?\s+$", before) or re.match(r",?\s*(?:" + _MONTHS + r")\b", after):
        return "date"
    if suffix == "%" or re.match(r"\s*(?:percent|per cent|percentage points?)\b", after):
        return "percent"
    if m.group("cur") or re.match(r"\s*(?:dollars|euros|pounds|yuan|rubles|roubles|won|yen)\b", after):
        return "money"
    if suffix:
        return "date" if re.search(r"the\s+$", before) else "ordinal"
    if re.fullmatch(r"1[89]\d\d|20\d\d", num) and not m.group("scale"):
        return "year"
    return "count"


def _unit_after(text: str, pos: int) -> str | None:
    toks = re.findall(r"[\w’'\-]+|[^\w\s]", text[pos : pos + 80])
    for tok in toks[:5]:
        low = tok.lower()
        if not re.match(r"[^\W\d_]", tok):
            return None  # punctuation: no noun follows
        if tok[0].isupper() or low in _UNIT_SKIP:
            continue  # "3,000 North Korean soldiers", "500 more troops"
        return None if low in _UNIT_STOP else low
    return None


_CLAIM_VERBS = (
    r"said|says|say|claimed|claims|claim|estimated|estimates|estimate|reported|reports|report|warned|"
    r"confirmed|confirms|announced|announces|indicated|indicate|indicates|suggested|suggesting|suggests|"
    r"stated|states|noted|told|believes|believe|assessed|assesses|projected|projects|puts|put|"
    r"alleged|alleges|added|cited|showed|shows|show"
)
_CLAIMANT_NOUNS = _wordset(
    """
    intelligence agency agencies service military officials official ministry authorities
    government media sources reports report analysts police army spokesperson spokesman chief
    local projections estimates estimate data figures statement leadership command observers
    monitors
    """
)
_GENERIC_CLAIMANTS = frozenset(
    {"projections", "estimates", "estimate", "data", "figures", "reports", "report"}
)


def _claimant_before(sentence: str, pos: int) -> str | None:
    """Subject of the nearest claim verb before ``pos`` ('South Korea’s intelligence agency estimated')."""
    prefix = sentence[:pos]
    m_acc = list(
        re.finditer(
            r"[Aa]ccording to (?P<who>(?:[\w’'.\-]+\s+){0,5}?[\w’'.\-]+?)(?=[,.;]|\s+(?:and|that|which|who)\b|$)",
            sentence,
        )
    )
    if m_acc:
        best = min(m_acc, key=lambda m: abs(m.start() - pos))
        return best.group("who").strip()
    for m in reversed(list(re.finditer(r"\b(?:" + _CLAIM_VERBS + r")\b", prefix))):
        subj = _subject_before(prefix[: m.start()])
        if subj and subj.lower() not in {"it", "he", "she", "they", "this", "that", "which", "who"}:
            if subj.lower() in _GENERIC_CLAIMANTS:
                continue  # "with projections suggesting ..." -- look for the real source further left
            return subj
    return None


def _subject_before(prefix: str) -> str | None:
    toks = list(re.finditer(r"[\w’'.\-]+", prefix))
    # Skip auxiliaries and adverbs directly before the verb ("has previously warned").
    i = len(toks) - 1
    while i >= 0 and (
        toks[i].group().lower()
        in {
            "has",
            "have",
            "had",
            "also",
            "previously",
            "already",
            "was",
            "were",
            "is",
            "are",
            "once",
            "again",
        }
        or toks[i].group().lower().endswith("ly")
    ):
        i -= 1
    j = i
    while j >= 0:
        tok = toks[j].group()
        low = tok.lower()
        gap = prefix[toks[j].end() : toks[j + 1].start()] if j < i else ""
        if gap.strip():
            break  # punctuation between words ends the noun phrase
        adjective = j < i and re.search(r"(?:al|ic|ian|ese|ary|ish|ern|ed)$", low) is not None
        if (
            tok[0].isupper()
            or low in _CLAIMANT_NOUNS
            or adjective
            or low.endswith(("’s", "'s"))
            or (low in {"of", "the"} and j < i)
        ):
            j -= 1
            continue
        break
    words = [t.group() for t in toks[j + 1 : i + 1]]
    while words and words[0].lower() in {"of", "the", "this", "that", "and"}:
        words = words[1:]
    if not words:
        return None
    if len(words) == 1 and words[0].lower() in _NOT_NAME and words[0].lower() not in _CLAIMANT_NOUNS:
        return None
    return prefix[toks[i - len(words) + 1].start() : toks[i].end()]


def _extract_numbers(ix: _ArticleIndex) -> list[NumberMention]:
    out: list[NumberMention] = []
    text = ix.text
    for s, e in ix.sentences:
        sentence = text[s:e]
        last_unit: str | None = None
        for m in _NUM_RE.finditer(sentence):
            kind = _number_kind(sentence, m)
            if kind == "other":
                continue
            value = float(m.group("num").replace(",", "")) * _SCALE.get(m.group("scale") or "", 1.0)
            unit = _unit_after(sentence, m.end()) if kind == "count" else kind
            if (
                kind == "count"
                and unit is None
                and last_unit
                and re.search(r"\b(?:to|from)\s+$", sentence[max(0, m.start() - 12) : m.start()])
            ):
                unit = last_unit  # "3,000 soldiers ... could rise to 10,000 by December"
            if kind == "count" and unit:
                last_unit = unit
            q = _QUALIFIER_RE.search(sentence[max(0, m.start() - 20) : m.start()])
            claimant = _claimant_before(sentence, m.start())
            if claimant and re.search(
                r"(?:rise|grow|increase|climb|reach)\w*\s+(?:to\s+)?$",
                sentence[max(0, m.start() - 20) : m.start()],
            ):
                claimant += " (projection)"  # a forecast, not a count of today
            out.append(
                NumberMention(
                    article_id=ix.article.id,
                    raw=m.group().strip(),
                    value=value,
                    unit=unit,
                    sentence=re.sub(r"\s+", " ", sentence),
                    claimant=claimant,
                    start=s + m.start(),
                    end=s + m.end(),
                    kind=kind,
                    qualifier=q.group().strip().lower() if q else "",
                )
            )
    return out


# ============================================================================ disagreements


def _key_terms(sentence: str) -> set[str]:
    """Capitalised names in a sentence, folded so that 'North Korean' meets 'North Korea'."""
    terms = set()
    for run in _capital_runs(sentence):
        words = [re.sub(r"['’]s$", "", t[2]) for t in run]
        phrase = " ".join(words)
        phrase = demonyms().get(phrase, phrase)
        terms.add(gazetteer("gazetteer_countries.txt").get(phrase, phrase).lower())
        for w in words:
            w = demonyms().get(w, w)
            if w.lower() not in _NOT_NAME:
                terms.add(w.lower())
    return terms


def _fmt_value(n: NumberMention) -> str:
    parts = [n.qualifier, n.raw, n.unit or ""]
    return " ".join(p for p in parts if p)


def find_disagreements(numbers: Sequence[NumberMention], articles: Sequence[Article]) -> list[Disagreement]:
    """Figures for the same thing (same unit class, shared names in context) that differ."""
    outlets = {a.id: (a.outlet or a.id) for a in articles}
    by_class: dict[str, list[NumberMention]] = defaultdict(list)
    for n in numbers:
        cls = unit_class(n.unit) if n.kind == "count" else None
        if cls and n.value >= 2:
            by_class[cls].append(n)
    out: list[Disagreement] = []
    for cls, mentions in by_class.items():
        # Link mentions whose sentences share a name ("North Korea").
        for group in _linked_groups(mentions, [_key_terms(n.sentence) for n in mentions]):
            values = {n.value for n in group}
            articles_in = {n.article_id for n in group}
            # Two distinct values and more than one article (or two claimants): a real difference,
            # not one article's own breakdown.
            claimants = {n.claimant for n in group if n.claimant}
            if len(values) < 2 or (len(articles_in) < 2 and len(claimants) < 2):
                continue
            claims: list[Claim] = []
            for value in sorted(values):
                ms = [n for n in group if n.value == value]
                who: list[str] = []
                for n in ms:
                    name = n.claimant or f"{outlets[n.article_id]} (unattributed)"
                    if not any(_same_claimant(name, w) for w in who):
                        who.append(name)
                claims.append(
                    Claim(
                        value=_fmt_value(ms[0]),
                        claimant="; ".join(who),
                        sources=sorted({n.article_id for n in ms}, key=[a.id for a in articles].index),
                        evidence=ms[0].sentence,
                    )
                )
            modifier = _common_modifier(group)
            unit = Counter(n.unit for n in group).most_common(1)[0][0]
            subject = f"number of {modifier + ' ' if modifier else ''}{unit}"
            out.append(Disagreement(subject=subject, claims=claims))
    return out


def _linked_groups(items: Sequence[NumberMention], terms: Sequence[set[str]]) -> list[list[NumberMention]]:
    """Connected components of ``items``, two being linked when their term sets intersect."""
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if terms[i] & terms[j]:
                parent[root(i)] = root(j)
    groups: dict[int, list[NumberMention]] = defaultdict(list)
    for i, item in enumerate(items):
        groups[root(i)].append(item)
    return list(groups.values())


def _same_claimant(a: str, b: str) -> bool:
    ta = {w.lower()[:5] for w in _words(a) if w.lower() not in _STOP}
    tb = {w.lower()[:5] for w in _words(b) if w.lower() not in _STOP}
    return bool(ta and tb) and len(ta & tb) / min(len(ta), len(tb)) >= 0.6


def _common_modifier(group: Sequence[NumberMention]) -> str:
    mods: Counter[str] = Counter()
    for n in group:
        tail = n.sentence[n.sentence.find(n.raw) + len(n.raw) :] if n.raw in n.sentence else ""
        m = re.match(r"\s+((?:[A-Z][\w’'\-]*\s+){1,3})", tail)
        if m:
            mods[m.group(1).strip()] += 1
    return mods.most_common(1)[0][0] if mods else ""


# ============================================================================ entities


def _count_surface(
    articles: Sequence[Article], pattern: re.Pattern[str], table: dict[str, str]
) -> list[Entity]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    sources: dict[str, set[str]] = defaultdict(set)
    for art in articles:
        for m in pattern.finditer(art.text):
            canon = table[m.group()]
            counts[canon][m.group()] += 1
            sources[canon].add(art.id)
    return [
        # Show the canonical name only where an article uses it; otherwise its commonest form.
        Entity(
            name=canon if canon in forms else forms.most_common(1)[0][0],
            mentions=sum(forms.values()),
            sources=sorted(sources[canon]),
        )
        for canon, forms in counts.items()
    ]


def _pattern_orgs(articles: Sequence[Article]) -> dict[str, tuple[int, set[str]]]:
    """Organisations by keyword: 'Russian Foreign Ministry', 'Department of Defense', 'State Duma'."""
    found: dict[str, tuple[int, set[str]]] = {}
    for art in articles:
        text = art.text
        for m in re.finditer(
            r"(?:[A-Z][\w’'.\-]*|of|for|and|the|on)(?:[ \t]+(?:[A-Z][\w’'.\-]*|of|for|and|the|on))*", text
        ):
            toks = m.group().split()
            if not any(t.lower().strip(".") in _ORG_KEYWORDS for t in toks):
                continue
            # Start after a possessive ("Ukraine’s Defense Intelligence Directorate") or a title.
            start = 0
            for i, t in enumerate(toks):
                if (
                    (re.search(r"['’]s$", t) and t[:6].lower() != "people")
                    or t.lower().strip(".") in TITLE_WORDS
                    or t.lower()
                    in {"on", "meanwhile", "however", "earlier", "while", "when", "after", "according"}
                ):
                    start = i + 1
            toks = toks[start:]
            if any(
                toks[k + 1].lower() == "and" and (toks[k].lower() in _ORG_KEYWORDS | {"house"})
                for k in range(len(toks) - 1)
            ):
                continue  # "House and Senate": two bodies, not one name
            while toks and (toks[0].lower() in _ORG_CONNECTORS or not toks[0][0].isupper()):
                toks = toks[1:]
            while toks and (toks[-1].lower() in _ORG_CONNECTORS or not toks[-1][0].isupper()):
                toks = toks[:-1]
            if not 2 <= len(toks) <= 7 or not any(t.lower().strip(".") in _ORG_KEYWORDS for t in toks):
                continue
            last_kw = max(i for i, t in enumerate(toks) if t.lower().strip(".") in _ORG_KEYWORDS)
            if last_kw < len(toks) - 1 and "of" not in toks[last_kw:]:
                # "Department of Defense" names its subject after "of"; "Service and Ukrainian" is
                # two phrases run together.
                toks = toks[: last_kw + 1]
            if toks[-1] in demonyms():
                continue
            name = re.sub(r"\.$", "", " ".join(toks))
            if name not in text:
                continue
            count, srcs = found.get(name, (0, set()))
            found[name] = (count + 1, srcs | {art.id})
    return found


def find_entities(articles: Sequence[Article], persons: Sequence[Person]) -> Entities:
    """Countries, organisations and people, each with its mention count and articles."""
    countries = _count_surface(
        articles, _gazetteer_re("gazetteer_countries.txt"), gazetteer("gazetteer_countries.txt")
    )
    orgs = _count_surface(articles, _gazetteer_re("gazetteer_orgs.txt"), gazetteer("gazetteer_orgs.txt"))
    known = {e.name for e in orgs} | set(gazetteer("gazetteer_orgs.txt"))
    pattern = _pattern_orgs(articles)
    for name, (count, srcs) in sorted(pattern.items(), key=lambda kv: -kv[1][0]):
        # "U.S. Department of Defense" and "Department of Defense" are one organisation.
        if (
            name in known
            or any(name != other and name in other for other in pattern)
            or any(name.endswith(" " + k) for k in known)
        ):
            continue
        orgs.append(Entity(name=name, mentions=count, sources=sorted(srcs)))
    people = []
    for p in persons:
        mentions, srcs = 0, set()
        for art in articles:
            k = len(_person_mentions(art.text, [p]))
            if k:
                mentions += k
                srcs.add(art.id)
        if mentions and any(p.name in a.text for a in articles):
            people.append(Entity(name=p.name, mentions=mentions, sources=sorted(srcs)))

    def order(es: list[Entity]) -> list[Entity]:
        return sorted(es, key=lambda e: (-e.mentions, e.name))

    return Entities(countries=order(countries), organizations=order(orgs), persons=order(people))


# ============================================================================ entry point


def collect(articles: Sequence[Article]) -> Evidence:
    """Gather quotes, numbers, entities and disagreements from a cluster (duplicates skipped)."""
    arts = [a for a in articles if not a.duplicate_of]
    persons = find_persons(arts)
    indexes = [_ArticleIndex(a, persons) for a in arts]
    quotes, fragments = _extract_quotes(indexes)
    numbers = [n for ix in indexes for n in _extract_numbers(ix)]
    return Evidence(
        articles=arts,
        quotes=quotes,
        numbers=numbers,
        entities=find_entities(arts, persons),
        disagreements=find_disagreements(numbers, arts),
        fragments=fragments,
        persons=persons,
    )
