"""People named in full in the articles, and every later mention of each (surname, family name)."""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Sequence

from ..schema.article import Article
from ..text.lexicons import EAST_ASIAN_FAMILY, SPEECH_VERBS, TITLE_WORDS
from ..text.names import capital_runs, is_name_token
from ..text.search import bounded_spans
from ..text.sentences import TOKEN_RE
from ..text.words import strip_possessive
from .model import Person

# Auxiliaries and adverbs between a name and its speech verb ("has also said").
AUX = r"(?:(?:also|then|later|has|had|have|was|were|is|further|previously|once|again|\w+ly)\s+){0,3}"

_TITLE_BEFORE = re.compile(r"([\w.\-]+)[\s,]*$")


def _person_cue(text: str, start: int, end: int, stripped_title: bool) -> bool:
    """Evidence that the capitalised words at ``text[start:end]`` name a person."""
    if stripped_title:
        return True
    before = TOKEN_RE.findall(text[max(0, start - 60) : start])[-4:]
    if any(t.lower().strip(".") in TITLE_WORDS for t in before):
        return True
    after = text[end : end + 80]
    if re.match(
        r"\s*,\s*(?:the\s+|a\s+|an\s+)?(?:[\w’'\-.]+\s+){0,5}?(" + "|".join(TITLE_WORDS) + r")\b",
        after,
        re.IGNORECASE,
    ):
        return True
    return bool(re.match(r"\s+" + AUX + r"(?:" + SPEECH_VERBS + r")\b", after))


def find_persons(articles: Sequence[Article]) -> list[Person]:
    """People named in full (2-4 capitalised words) with a title, a role or a speech verb nearby."""
    found: dict[str, int] = {}
    for art in articles:
        for run in capital_runs(art.text):
            # Skip leading titles, places and labels: the name is what follows the last of them.
            cut = 0
            for i, (_, _, tok) in enumerate(run):
                if not is_name_token(tok):
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
            name = strip_possessive(art.text[s:e])
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
        if toks[0] in EAST_ASIAN_FAMILY:
            keys.add(toks[0])
        raw_keys[name] = keys
        key_count.update(keys)
    return [Person(n, frozenset(k for k in raw_keys[n] if key_count[k] == 1)) for n in names]


_WORD = re.compile(r"\w+")


class PersonFinder:
    """Which of a cluster's persons can occur in a text, from the text's words.

    A mention starts at a word boundary, so the first word of a person's name or key is a whole
    word of the text wherever the person is mentioned. Looking those words up in the text's word
    set replaces a search for every person in every article (persons grow with the cluster, so
    that was persons x articles) by one pass over each text. Names or keys that do not start with
    a word character cannot be indexed this way; such a person is always a candidate.
    """

    def __init__(self, persons: Sequence[Person]) -> None:
        self.persons = list(persons)
        self._by_word: dict[str, list[int]] = {}
        self._always: list[int] = []
        self._seen: dict[str, list[Person]] = {}
        for i, p in enumerate(self.persons):
            firsts: set[str] = set()
            for phrase in (p.name, *p.keys):
                m = _WORD.match(phrase)
                if m is None:
                    firsts = set()
                    break
                firsts.add(m.group(0))
            if not firsts:
                self._always.append(i)
            for w in firsts:
                self._by_word.setdefault(w, []).append(i)

    def candidates(self, text: str) -> list[Person]:
        """The persons that may be mentioned in ``text``, in the cluster's order (a superset of those that are)."""
        known = self._seen.get(text)
        if known is not None:  # article indexes and entity counting ask of the same texts
            return known
        found = set(self._always)
        by_word = self._by_word
        for w in set(_WORD.findall(text)):
            hit = by_word.get(w)
            if hit:
                found.update(hit)
        self._seen[text] = out = [self.persons[i] for i in sorted(found)]
        return out

    def mentions(self, text: str) -> list[tuple[int, int, Person]]:
        """:func:`person_mentions` of all the persons, searching only the candidates."""
        return person_mentions(text, self.candidates(text))


def person_mentions(text: str, persons: Sequence[Person]) -> list[tuple[int, int, Person]]:
    """Every mention of each person (full name or key) in ``text``: ``(start, end, person)``."""
    out: list[tuple[int, int, Person]] = []
    for p in persons:
        out.extend((s, e, p) for s, e in bounded_spans(p.name, text, r"[\w’']", r"[\w]"))
    # A key inside a full-name mention is that mention, not another one: look its start up among
    # the full-name spans (sorted starts, running maximum of their ends) instead of scanning them all.
    spans = sorted((s, e) for s, e, _ in out)
    starts = [s for s, _ in spans]
    reach = list(itertools.accumulate((e for _, e in spans), max))
    for p in persons:
        for key in p.keys:
            for s, e in bounded_spans(key, text, r"[\w’'\-]", r"[\w\-]"):
                i = bisect.bisect_right(starts, s)
                if not (i and reach[i - 1] > s):
                    out.append((s, e, p))
    return sorted(out, key=lambda t: t[0])
