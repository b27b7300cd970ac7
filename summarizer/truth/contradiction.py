"""Where a sentence says the opposite of the source sentences it cites, though it uses their words.

Rules over tokens (:mod:`summarizer.text.clauses`), each a kind of :class:`Finding`:

* ``negation``: a clause with a negation cue ("not", "never", "without", "declined to") whose aligned
  source clause has none, or the reverse; and a denial verb whose own polarity differs
  ("Putin denied" against "Putin did not deny").
* ``antonym``: a word whose opposite (``data/antonyms.txt``) stands in the source while the word
  itself does not, or stands at the aligned place ("vaccinated for" against "vaccinated against").
* ``figure``: a number absent from the cited sentences, or present there counting something else
  (its neighbouring words, "84 years" against "in 2001").
* ``date``: a weekday or month the cited sentences do not give while they give another (or which no
  cited article gives at all).
* ``role``: who does what (:mod:`summarizer.truth.doers`): "Russia accused Ukraine" against
  "Ukraine accused Russia".
* ``name``: a name none of the cited sentences holds (any spelling of it, or its country), or one
  put at the aligned place of another name (``substitution``, which also finds a figure put for another).
* ``quote``: words in quotation marks that the cited sentences and articles do not hold word for word.

Deletions, reordering and function words never count. The rules are deliberately conservative:
a verbatim copy or a deletion-only compression of the cited sentences always passes.
"""

from __future__ import annotations

import calendar
import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..text.clauses import Token, clauses, names, swaps, tokens
from ..text.lexicons import MONTHS, TITLE_WORDS, WEEKDAYS, demonyms
from ..text.names import names_match
from ..text.normalize import folded, normalize
from ..text.numbers import NUMBER_RE, value
from ..text.opposites import lexicon
from ..text.sentences import quote_spans
from .counts import figure_mismatches
from .doers import swapped_names, wrong_doer, wrong_subject
from .slots import slot_dates, slot_names, slot_opposites

ALIGN_MIN = 2  # content words a sentence clause must share with a source clause to be aligned with it
_MONTH_RE = re.compile(r"\b(" + MONTHS + r")\b\.?")
_WEEKDAY_RE = re.compile(r"\b(" + WEEKDAYS + r")\b")
_MAY_DATE = re.compile(r"(?:\b(?:in|on|since|until|by|of|early|late|mid|last|next|this)\s+May\b|\bMay\s+\d)")


@dataclass(frozen=True)
class Finding:
    """One contradiction: the rule (``negation``, ``antonym``, ``figure``, ``date``, ``role``, ``name``)
    and what a person reads about it."""

    rule: str
    detail: str


RULES = ("negation", "antonym", "figure", "date", "role", "name", "substitution", "quote")


def contradictions(
    sentence: str, sources: Sequence[str], articles: Sequence[str] = (), rules: Sequence[str] = RULES
) -> list[Finding]:
    """How ``sentence`` contradicts the source sentences it cites (``[]`` when it does not).

    ``articles`` are the full texts of the cited articles: a weekday or month that none of the cited
    sentences gives may come from elsewhere in them (a dateline), unless the cited sentences give another.
    ``rules`` names the rules to apply (all by default).
    """
    mine = tokens(sentence)
    if not mine or not sources:
        return []
    # Sources are tokenised only for the rules that read tokens: the figure rule alone is asked about
    # whole articles (a sentence that cites no source sentence), and reads them through an index.
    theirs = [tokens(s) for s in sources] if set(rules) - {"figure", "date", "quote"} else []
    found = []
    for rule in rules:
        if rule == "figure":
            found += [Finding("figure", detail) for detail in figure_mismatches(sentence, sources)]
        elif rule == "quote":
            found += _quotes(sentence, [*sources, *articles])
        elif rule == "date":
            found += _dates(sentence, sources, articles)
            found += [Finding("date", d) for d in slot_dates(mine, theirs or [tokens(s) for s in sources])]
        elif rule == "name":
            found += _names(mine, theirs, articles)
        else:
            found += _TOKEN_RULES[rule](mine, theirs)
    return found


# ---------------------------------------------------------------------------------------- negation

def _cue(toks: Sequence[Token], k: int) -> bool:
    """Whether ``toks[k]`` denies what its clause says: a negation word ("not", "never"), or a denial
    verb before "to" ("declined to comment", "failed to pass"; not "prices declined 5%")."""
    lex = lexicon()
    low = toks[k].low
    return low in lex.negation or (low in lex.denial and k + 2 < len(toks) and toks[k + 1].low == "to"
                                   and not toks[k + 2].text[0].isdigit())  # "declined to 4.8%": a figure fell


def _cued(clause: Sequence[Token]) -> bool:
    return any(_cue(clause, k) for k in range(len(clause)))


def _polarity(clause: Sequence[Token]) -> tuple[bool, int]:
    """Whether a clause holds a cue, and the parity of its cues: "did not yield nothing" says the
    opposite of "yielded nothing", though both hold one."""
    cues = sum(_cue(clause, k) for k in range(len(clause)))
    return cues > 0, cues % 2


def _aligned(clause: Sequence[Token], theirs: list[tuple[Token, ...]]) -> list[tuple[Token, ...]]:
    """The source clauses sharing the most content words with ``clause`` (none below :data:`ALIGN_MIN`)."""
    negation = lexicon().negation
    stems = {t.stem for t in clause if t.content and t.low not in negation}
    if not stems:
        return []
    scored = []
    for toks in theirs:
        for c in clauses(toks):
            other = {t.stem for t in c if t.content and t.low not in negation}
            shared = len(stems & other)
            if shared >= min(ALIGN_MIN, len(stems)) and shared * 2 >= min(len(stems), len(other)):
                scored.append((shared, c))
    best = max((s for s, _ in scored), default=0)
    return [c for s, c in scored if s == best]


def _negation(mine: tuple[Token, ...], theirs: list[tuple[Token, ...]]) -> list[Finding]:
    out: list[Finding] = []
    parts = clauses(mine)
    for k, clause in enumerate(parts):
        aligned = _aligned(clause, theirs)
        # a cue the sentence adds always counts (it may negate a verb the model reworded); a cue only
        # the source has counts when the sentence states what that cue denies
        if aligned and all(_polarity(c) != _polarity(clause) and (_cued(clause) or _scoped(c, clause)) for c in aligned):
            words = " ".join(t.text for t in clause)
            said = "denies" if _cued(clause) else "affirms"
            out.append(Finding("negation", f"{said} what its source states: {words!r}"))
        elif not aligned and _cued(clause) and k + 1 < len(parts) and _denies_next(clause, parts[k + 1], theirs):
            out.append(Finding("negation", f"denies what its source states: {' '.join(t.text for t in clause)!r}"))
    out += _denials(mine, theirs)
    return out


def _denies_next(clause: Sequence[Token], following: Sequence[Token], theirs: list[tuple[Token, ...]]) -> bool:
    """A negated clause too short to align on its own ("The pill is not given" | "as four pills taken
    twice a day"), read with the clause after it: it denies what the source states when the source
    clauses that align with the pair hold no cue, in themselves or in the clause just before them."""
    aligned = _aligned([*clause, *following], theirs)
    if not aligned:
        return False
    before = {c: p for toks in theirs for p, c in itertools.pairwise([(), *clauses(toks)])}
    return all(not _cued(c) and not _cued(before.get(c, ())) for c in aligned)


def _scoped(negated: Sequence[Token], plain: Sequence[Token]) -> bool:
    """Whether what a negated clause denies stands in the other: the word a cue governs ("not
    [agree]"), else the clauses only overlap where nothing is denied ("Biden said on Monday" against
    "Biden on Monday said he did not agree")."""
    heads = []
    for k in range(len(negated)):
        if _cue(negated, k):
            head = next((u for j, u in enumerate(negated[k + 1 :], k + 1) if u.content and not _cue(negated, j)
                         and u.low != "to"), None)
            heads.append(head.stem if head else None)
    stems = {t.stem for t in plain}
    prefixes = {s[:5] for s in stems if len(s) >= 5}  # "deployment" meets "deploy"; "address" "addressing"
    return any(h is None or h in stems or h[:5] in prefixes for h in heads)


def _denied(toks: tuple[Token, ...], i: int) -> bool:
    """Whether the denial verb at ``i`` is itself negated ("did not deny")."""
    return any(_cue(toks, k) and toks[k].clause == toks[i].clause for k in range(max(0, i - 3), i))


def _denials(mine: tuple[Token, ...], theirs: list[tuple[Token, ...]]) -> list[Finding]:
    denial = lexicon().denial
    out = []
    for i, t in enumerate(mine):
        verb = denial.get(t.low)
        if verb is None:
            continue
        there = [_denied(toks, k) for toks in theirs for k, u in enumerate(toks) if denial.get(u.low) == verb]
        if there and _denied(mine, i) not in there:
            out.append(Finding("negation", f"{'does not ' if _denied(mine, i) else ''}{verb!r}, "
                                           f"where its source says the opposite"))
    return out


# ---------------------------------------------------------------------------------------- opposites

def _substitutions(mine: tuple[Token, ...], theirs: list[tuple[Token, ...]]) -> list[Finding]:
    """A name put in place of another name, or a figure in place of another figure, at the aligned place."""
    out = []
    runs = {k: (a, b, name) for a, b, name in names(mine) for k in range(a, b + 1)}
    written = {u.text for toks in theirs for u in toks if u.capital}
    pairs = {(x.low, y.low) for toks in theirs for x, y in itertools.pairwise(toks)}

    def in_place(a: int, b: int) -> bool:
        """The name stands next to the same word in some source (a clause moved, not a name swapped)."""
        return (a > 0 and (mine[a - 1].low, mine[a].low) in pairs) or \
            (b + 1 < len(mine) and (mine[b].low, mine[b + 1].low) in pairs)

    out += [Finding("name", detail) for detail in slot_names(mine, theirs)]
    swapped = swaps(mine, tuple(theirs))
    changed = {i for i, _ in swapped}

    def block(i: int) -> tuple[int, int]:
        """The run of changed words around ``i``: where a name was put in, not the whole capitalised run
        it joined ("President Joe Biden’s [Democratic Reps] Commission")."""
        a = b = i
        while a - 1 in changed:
            a -= 1
        while b + 1 in changed:
            b += 1
        return a, b

    for i, there in swapped:
        t = mine[i]
        if t.text[0].isdigit():
            other = next((u.text for u in there if u.text[0].isdigit() and _amount(u.text) != _amount(t.text)), None)
            if other:
                out.append(Finding("figure", f"gives {t.text!r} where its source gives {other!r}"))
        elif t.capital and t.low.strip(".") not in TITLE_WORDS:  # "Sen." for "Senate majority leader"
            others = [u.text for u in there if u.capital]
            run = runs.get(i, (i, i, t.text))[2]
            if "".join(w[0] for w in run.split()) in written or in_place(*block(i)):
                continue  # the sources call it by its initials ("the IMF"), or have it in another order
            if others and not any(names_match(t.text, o) or _folded(t.text) == _folded(o) for o in others):
                out.append(Finding("name", f"names {t.text!r} where its source names {others[0]!r}"))
    return out


def _amount(figure: str) -> float | str:
    """A figure token's value ("3,000" and "3000", "5%" and "5" alike), else its text."""
    m = NUMBER_RE.fullmatch(figure)
    return value(m) if m else figure


def _antonyms(mine: tuple[Token, ...], theirs: list[tuple[Token, ...]]) -> list[Finding]:
    lex = lexicon()
    found: dict[str, Finding] = {}
    present = {u.low for toks in theirs for u in toks} | {u.stem for toks in theirs for u in toks}
    for t in mine:
        opposite = lex.opposites.get(t.low, frozenset())
        own = lex.forms.get(t.low, frozenset()) | {t.low, t.stem}
        if opposite & present and not own & present:
            hit = min(opposite & present)
            found[t.low] = Finding("antonym", f"says {t.text!r} where its source says {hit!r}")
    own_stems = {t.stem for t in mine}
    for i, there in swaps(mine, tuple(theirs)):
        t = mine[i]
        opposite = lex.opposites.get(t.low, frozenset()) | lex.aligned.get(t.low, frozenset())
        match = next((u for u in there if u.low in opposite), None)
        if match is None or t.low in found:
            continue
        # the token alignment may pair words of different statements ("Two people were killed in the
        # attack" against "Two people died and five others were injured in the attack"): the opposite
        # counts only in a source clause whose other content words the sentence mostly has
        there_clause = next(c for toks in theirs for c in clauses(toks) if match in c)
        other = {u.stem for u in there_clause if u.content and u != match}
        if len(other & own_stems) * 2 >= len(other):
            found[t.low] = Finding("antonym", f"says {t.text!r} where its source says {match.text!r}")
    for detail in slot_opposites(mine, theirs):
        found.setdefault(detail, Finding("antonym", detail))
    return list(found.values())


# ---------------------------------------------------------------------------------------- quotes

MIN_QUOTED_WORDS = 3  # a shorter quoted span is a term ("so-called 'hunters'"), not someone's words
_QUOTE_BREAK = re.compile(r"\s*(?:…|\.\.\.|\[[^\]]*\])\s*")  # an ellipsis or an editor's [insertion] joins pieces


def _quotes(sentence: str, texts: Sequence[str]) -> list[Finding]:
    """Someone's words in quotation marks must stand word for word in the cited sentences or articles:
    a quote is evidence in itself, so a word changed inside it ("not", an opposite) reverses a person."""
    out = []
    for o, c in quote_spans(sentence):
        for piece in _QUOTE_BREAK.split(sentence[o + 1 : c]):
            piece = piece.strip(" ,.;:!?")
            if len(piece.split()) < MIN_QUOTED_WORDS:
                continue
            needle = normalize(piece, casefold=True)
            if not any(needle in folded(t)[0] for t in texts):
                out.append(Finding("quote", f"quotes {piece[:60]!r}, which the articles it cites do not say word for word"))
    return out


# ---------------------------------------------------------------------------------------- dates

@functools.lru_cache(maxsize=1024)
def _calendar_words(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(months, weekdays) named in ``text``, months by their first three letters. Cached: the cited
    articles' words are asked for every sentence that cites them."""
    months = {m.group(1)[:3].lower() for m in _MONTH_RE.finditer(text) if m.group(1) != "May"}
    if _MAY_DATE.search(text):
        months.add("may")
    return frozenset(months), frozenset(m.group(1).lower() for m in _WEEKDAY_RE.finditer(text))


def _calendar_union(texts: Sequence[str]) -> tuple[frozenset[str], frozenset[str]]:
    words = [_calendar_words(t) for t in texts]
    return frozenset().union(*(m for m, _ in words)), frozenset().union(*(d for _, d in words))


def _dates(sentence: str, sources: Sequence[str], articles: Sequence[str]) -> list[Finding]:
    mine = _calendar_words(sentence)
    cited = _calendar_union(sources)
    whole = _calendar_union(articles)
    out = []
    for kind, own, there, anywhere in zip(("month", "weekday"), mine, cited, whole, strict=True):
        for word in sorted(own - there):
            if there or word not in anywhere:
                name = calendar.month_name[[m.lower()[:3] for m in calendar.month_name].index(word)] \
                    if kind == "month" else word.capitalize()
                out.append(Finding("date", f"gives the {kind} {name}, which the sentences it cites do not"))
    return out


# ---------------------------------------------------------------------------------------- who

def _folded(word: str) -> str:
    return demonyms().get(word, word).lower()


_CONNECTIVES = frozenset(["and", "of", "for", "the", "&"])


def _initials(theirs: list[tuple[Token, ...]]) -> set[str]:
    """The initials of every stretch of capitalised words in the sources, across "and", "of", "for"
    ("FDA" for "Food and Drug Administration", "ICE" for "Immigration and Customs Enforcement")."""
    out: set[str] = set()
    for toks in theirs:
        run: list[str] = []
        for u in [*toks, None]:
            if u is not None and (u.capital or (run and u.low in _CONNECTIVES)):
                run += [u.text[0]] if u.capital else []
                continue
            out.update("".join(run[i:j]).upper() for i in range(len(run)) for j in range(i + 2, len(run) + 1))
            run = []
    return out


def _names(mine: tuple[Token, ...], theirs: list[tuple[Token, ...]], articles: Sequence[str]) -> list[Finding]:
    words = {w for toks in theirs for u in toks for w in (_folded(u.text), u.low, u.stem)}
    words |= {w.lower() for w in _initials(theirs)}
    runs = [name for toks in theirs for _, _, name in names(toks)]
    out = []
    for a, b, name in names(mine):
        if a == b == 0 and not re.search(rf"(?<![.!?\s])\s+{re.escape(mine[0].text)}\b", " ".join(articles)):
            continue  # one capitalised word opening the sentence ("Tensions with Beijing"): a name only if
            # the articles write it capitalised mid-sentence
        # a word of the sources capitalised only because it opens the sentence ("Police said") is no name
        if all(_folded(t.text) in words or t.stem in words and t.stem != t.low or (k == 0 and t.low in words)
               for k, t in enumerate(mine[a : b + 1], a)):
            continue
        if not any(names_match(name, other) for other in runs):
            out.append(Finding("name", f"names {name!r}, which none of the sentences it cites names"))
    return out


_TOKEN_RULES = {
    "negation": _negation, "antonym": _antonyms, "substitution": _substitutions,
    "role": lambda mine, theirs: [Finding("role", d) for d in [
        wrong_doer(mine, theirs) or wrong_subject(mine, theirs) or swapped_names(mine, theirs)] if d],
}
