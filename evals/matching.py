"""Text matching for the scorers: normalisation, numbers, capitalised names, entity aliases.

These are the eval harness's own measurements. They deliberately do not reuse
:mod:`summarizer.grounding` or :mod:`summarizer.neutrality`: a scorer that ran the
same code as the thing it judges could only ever agree with it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from difflib import SequenceMatcher

# --------------------------------------------------------------------------- normalisation

_QUOTE_MARKS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u200b": "",
    }
)
_WS = re.compile(r"\s+")
_ELLIPSIS = re.compile(r"\s*(?:\u2026|\.\s?\.\s?\.)\s*")


def normalize_text(text: str) -> str:
    """NFKC, straight quote marks and hyphens, one space for any run of whitespace.

    Case is kept: a quote is verbatim only if its words are the article's words.
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTE_MARKS)
    return _WS.sub(" ", text).strip()


def fold(text: str) -> str:
    """Case- and accent-insensitive form used for names: 'António' -> 'antonio'."""
    text = unicodedata.normalize("NFKD", normalize_text(text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.casefold()


def words(text: str) -> list[str]:
    """Word tokens of ``text`` in folded form, possessives stripped ("Russia's" -> "russia")."""
    # Hyphens split words, so 'Jong-Un' matches 'Jong Un' and 'ex-Justice' contains 'Justice'.
    return [_strip_possessive(w) for w in re.findall(r"[\w][\w'.]*[\w]|[\w]", fold(text))]


def _strip_possessive(word: str) -> str:
    return word[:-2] if word.endswith("'s") else word.rstrip("'.")


def find_verbatim(quote: str, text: str) -> bool:
    """True when ``quote`` occurs in ``text`` after normalisation.

    Surrounding quote marks and punctuation on the quote are ignored. An ellipsis
    inside the quote marks an elision: each part must then occur in ``text``, in
    order, as is usual for quotations that skip words.
    """
    q = normalize_text(quote).strip(" \"'")
    if not q:
        return False
    haystack = normalize_text(text)
    # Unwrapping the closing punctuation lets "...reflect something." match "...reflect something,".
    parts = [p.strip(" \"',;:") for p in _ELLIPSIS.split(q)]
    parts = [p.rstrip(".!?") or p for p in parts if p.strip(" .!?")]
    if not parts:
        return False
    pos = 0
    for part in parts:
        found = haystack.find(part, pos)
        if found < 0:
            return False
        pos = found + len(part)
    return True


# --------------------------------------------------------------------------- numbers

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
}
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 1_000_000_000_000}
_NUM = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:st|nd|rd|th)?(?![\w])"
    r"(?:\s*(?:%|percent|per cent))?(?:\s+(thousand|million|billion|trillion)\b)?",
    re.IGNORECASE,
)
_WORD_NUM = re.compile(
    r"\b("
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + r")\b(?:\s+(thousand|million|billion)\b)?",
    re.IGNORECASE,
)


def _value(digits: str) -> float:
    return float(digits.replace(",", ""))


def numbers_in(text: str, *, words_too: bool = True) -> list[tuple[str, float]]:
    """(surface form, value) for each number in ``text``; '3,000', '12 thousand', 'three'.

    ``words_too=False`` skips spelled-out numbers, for text where 'one' is more
    often a pronoun than a count.
    """
    text = normalize_text(text)
    found: list[tuple[str, float]] = []
    for m in _NUM.finditer(text):
        value = _value(m.group(1)) * _SCALES.get((m.group(2) or "").lower(), 1)
        found.append((m.group(0).strip(), value))
    if words_too:
        for m in _WORD_NUM.finditer(text):
            word = m.group(1).lower()
            if word == "one" and not m.group(2):
                continue  # 'one of the', 'no one': not a count worth checking
            value = _NUMBER_WORDS[word] * _SCALES.get((m.group(2) or "").lower(), 1)
            found.append((m.group(0), float(value)))
    return found


def number_values(text: str) -> set[float]:
    """Every value a reader could take from ``text``: '3 thousand' gives both 3 and 3000."""
    values: set[float] = set()
    t = normalize_text(text)
    for m in _NUM.finditer(t):
        base = _value(m.group(1))
        values.add(base)
        if m.group(2):
            values.add(base * _SCALES[m.group(2).lower()])
    for m in _WORD_NUM.finditer(t):
        base = float(_NUMBER_WORDS[m.group(1).lower()])
        values.add(base)
        if m.group(2):
            values.add(base * _SCALES[m.group(2).lower()])
    return values


# --------------------------------------------------------------------------- names

# Capitalised words that start sentences or clauses and are not names.
_NOT_NAME_WORDS = """
    a an the this that these those there then thus it its he she his her they their them we our us i you
    in on at by for from to of with without within into onto as after before while when where whether if
    but and or nor so yet however meanwhile earlier later also still even although though because since
    until unless according despite amid among between during under over about against both either neither
    each every all some many most several few no not one two three four five six seven eight nine ten
    what which who whom whose why how monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    mr mrs ms dr president secretary minister spokesperson deputy chief general
    today yesterday tomorrow here such other another any"""
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())
_CONNECTORS = {"of", "the", "de", "da", "del", "van", "von", "al", "bin", "du", "la", "le"}
_SENTENCE_START = re.compile(r"(?:^|[.!?:;])\s*[\"'(]?\s*$")
_CAP_RUN = re.compile(
    r"(?<![\w'])[A-Z][\w'\u2019.-]*(?:\s+(?:(?:of|the|de|da|del|van|von|al|bin|du|la|le)\s+)*[A-Z][\w'\u2019.-]*)*"
)


def names_in(text: str) -> list[str]:
    """Capitalised name-like runs in ``text``: 'Lloyd Austin', 'Kursk Oblast', 'U.S.'.

    Leading words that are capitalised only because they start a sentence
    ('The', 'According', 'On Thursday') are dropped; so are runs that hold nothing else.
    """
    found: list[str] = []
    text = normalize_text(text)
    for m in _CAP_RUN.finditer(text):
        offset = m.start()
        for tokens, at in _split_at_sentence_ends(m.group(0), offset):
            if len(tokens) == 1 and _SENTENCE_START.search(text[:at]):
                # One capitalised word opening a sentence ('Says', 'Officials') is usually not a name.
                # Names there are still caught when they have two words or recur mid-sentence.
                continue
            while tokens and (_bare(tokens[0]) in _NOT_NAMES or _bare(tokens[0]) in _CONNECTORS):
                tokens.pop(0)
            while tokens and _bare(tokens[-1]) in _CONNECTORS:
                tokens.pop()
            if not tokens:
                continue
            name = re.sub(r"'s$", "", " ".join(tokens)).rstrip(".'-")
            if len(name) >= 2 and any(c.isalpha() for c in name):
                found.append(name)
    return found


_INITIALISM = re.compile(r"^(?:[A-Z]\.)+$|^(?:Mr|Mrs|Ms|Dr|St|Gen|Jr|Sr|Lt|Col|Gov|Sen|Rep)\.$")


def _split_at_sentence_ends(run: str, offset: int) -> list[tuple[list[str], int]]:
    """Split 'Emmanuel Macron. Putin' into its sentences; 'U.S. Defense' stays whole."""
    parts: list[tuple[list[str], int]] = []
    current: list[str] = []
    start = offset
    for tm in re.finditer(r"\S+", run):
        if not current:
            start = offset + tm.start()
        current.append(tm.group(0))
        if tm.group(0).endswith(".") and not _INITIALISM.match(tm.group(0)):
            parts.append((current, start))
            current = []
    if current:
        parts.append((current, start))
    return parts


def _bare(token: str) -> str:
    return _strip_possessive(fold(token)).strip(".-")


class SourceIndex:
    """Precomputed folded text, word set and number values of a set of articles."""

    def __init__(self, texts: Iterable[str]) -> None:
        texts = list(texts)
        self.folded = " ".join(" ".join(words(t)) for t in texts)
        self.word_set = set(self.folded.split())
        self.numbers: set[float] = set()
        for t in texts:
            self.numbers |= number_values(t)

    def has_number(self, value: float) -> bool:
        return value in self.numbers

    def has_name(self, name: str) -> bool:
        """A name is supported if its words, or a known alias, occur in the sources.

        Each word may differ slightly in spelling ('Zelensky' / 'Zelenskyy'), because
        transliterations vary between outlets and that is not a fabrication.
        """
        for variant in {name, *aliases_of(name)}:
            toks = [t for t in words(variant) if t not in _CONNECTORS]
            if not toks:
                continue
            if f" {' '.join(toks)} " in f" {self.folded} ":
                return True
            if all(self._has_word(t) for t in toks):
                return True
        return False

    def _has_word(self, token: str) -> bool:
        if token in self.word_set or token.replace(".", "") in self.word_set:
            return True
        if len(token) < 5:
            return False
        return any(
            w[:3] == token[:3] and SequenceMatcher(None, w, token).ratio() >= 0.85 for w in self.word_set
        )


# --------------------------------------------------------------------------- entity aliases

# Canonical key -> surface forms. ISO-style country names (as on the seed 000 page),
# short forms and acronyms all map to one key.
_ALIAS_GROUPS: tuple[tuple[str, ...], ...] = (
    ("russia", "russian federation"),
    (
        "north korea",
        "korea, democratic people's republic of",
        "democratic people's republic of korea",
        "dprk",
        "korea dpr",
    ),
    ("south korea", "korea, republic of", "republic of korea", "rok"),
    ("iran", "iran, islamic republic of", "islamic republic of iran"),
    ("palestine", "palestine, state of", "state of palestine", "palestinian territories"),
    ("united states", "united states of america", "us", "u.s.", "usa", "u.s.a.", "america"),
    ("united kingdom", "uk", "u.k.", "britain", "great britain"),
    ("china", "people's republic of china", "prc"),
    ("syria", "syrian arab republic"),
    ("vietnam", "viet nam"),
    ("turkey", "turkiye", "türkiye"),
    ("nato", "north atlantic treaty organisation", "north atlantic treaty organization"),
    ("united nations", "un", "u.n."),
    ("european union", "eu", "e.u."),
    ("state duma", "duma", "russian state duma"),
    (
        "pentagon",
        "u.s. department of defense",
        "department of defense",
        "us department of defense",
        "defense department",
    ),
    ("national intelligence service", "nis", "south korea's national intelligence service"),
    ("defense intelligence directorate", "hur", "main intelligence directorate", "gur"),
)
_ALIASES: dict[str, str] = {}
for _group in _ALIAS_GROUPS:
    for _form in _group:
        _ALIASES[fold(_form)] = _group[0]


def canonical(name: str) -> str:
    """One comparable key per entity: folded, hyphens as spaces, known aliases merged."""
    key = re.sub(r"^the\s+", "", fold(name).strip())
    for form in (key, key.rstrip("."), key.replace(".", "")):
        if form in _ALIASES:
            return _ALIASES[form]
    key = key.strip(" .")
    key = re.sub(r"'s\b", "", key)
    key = re.sub(r"[-_/]", " ", key)
    key = re.sub(r"[^\w\s,.']", "", key)
    key = _WS.sub(" ", key).strip()
    return _ALIASES.get(key, key)


def aliases_of(name: str) -> set[str]:
    """Other surface forms of ``name`` from the alias table (empty when it has none)."""
    key = canonical(name)
    for group in _ALIAS_GROUPS:
        if group[0] == key:
            return set(group) - {name}
    return set()


def _acronym(key: str) -> str:
    return "".join(w[0] for w in key.replace(",", " ").split() if w not in _CONNECTORS and w != "and")


def same_entity(a: str, b: str, kind: str = "") -> bool:
    """Fuzzy entity-name equality.

    'Kim Jong Un' = 'Kim Jong-Un'; 'Russian Federation' = 'Russia'; 'Putin' =
    'Vladimir Putin' (one name's words are all in the other's); 'NATO' =
    'North Atlantic Treaty Organisation' (acronym); for persons, small spelling
    differences ('Zelenskiy' / 'Zelenskyy'). 'North Korea' != 'South Korea'.
    """
    return any(_same_key(canonical(x), canonical(y), kind) for x in _variants(a) for y in _variants(b))


_PAREN = re.compile(r"\s*\(([^)]*)\)\s*")


def _variants(name: str) -> list[str]:
    """The name, the name without a parenthetical, and the parenthetical: 'Directorate (HUR)'."""
    out = [name]
    inner = _PAREN.findall(name)
    if inner:
        out.append(_PAREN.sub(" ", name).strip())
        out += [i for i in inner if i.strip()]
    return out


def _same_key(ka: str, kb: str, kind: str) -> bool:
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    ta = [t for t in ka.replace(",", " ").split() if t not in _CONNECTORS]
    tb = [t for t in kb.replace(",", " ").split() if t not in _CONNECTORS]
    if not ta or not tb:
        return False
    if len(ta) == 1 and len(ta[0]) >= 2 and ta[0] == _acronym(kb) and len(tb) >= 2:
        return True
    if len(tb) == 1 and len(tb[0]) >= 2 and tb[0] == _acronym(ka) and len(ta) >= 2:
        return True
    small, big = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if kind == "persons":
        # A surname alone names the person ('Putin'); spelling may vary by transliteration.
        return all(any(_close(s, t) for t in big) for s in small) and _close(small[-1], big[-1])
    # Organisations and countries: one name's words all inside the other's ('Kremlin' / 'the Kremlin').
    return len(small) >= 1 and set(small) <= set(big) and len(" ".join(small)) >= 4 and small[-1] == big[-1]


def _close(x: str, y: str) -> bool:
    return x == y or (len(x) >= 4 and len(y) >= 4 and SequenceMatcher(None, x, y).ratio() >= 0.85)


def match_entities(predicted: list[str], reference: list[str], kind: str = "") -> list[tuple[str, str]]:
    """Greedy one-to-one pairs (predicted, reference) that name the same entity."""
    pairs: list[tuple[str, str]] = []
    used: set[int] = set()
    for p in predicted:
        for j, r in enumerate(reference):
            if j not in used and same_entity(p, r, kind):
                pairs.append((p, r))
                used.add(j)
                break
    return pairs
