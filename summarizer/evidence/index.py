"""Per-article look-ups shared by quote and figure extraction: sentences and person mentions."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from ..schema.article import Article
from ..text.lexicons import NOT_NAME, TITLE_WORDS
from ..text.sentences import TOKEN_RE, sentence_spans
from .model import Person
from .persons import PersonFinder, person_mentions


class ArticleIndex:
    """Per-article lookups shared by quote and number extraction."""

    def __init__(self, article: Article, persons: Sequence[Person], finder: PersonFinder | None = None) -> None:
        self.article = article
        self.text = article.text
        self.sentences = sentence_spans(article.text)
        self._starts = [s for s, _ in self.sentences]
        self._ends = [e for _, e in self.sentences]
        self._contexts: dict[tuple[int, int], str] = {}
        self._matches: dict[tuple[str, int, int], list[re.Match[str]]] = {}
        self.mentions = finder.mentions(article.text) if finder is not None else person_mentions(article.text, persons)
        self._mention_starts = [s for s, _, _ in self.mentions]  # mentions are in text order
        self.persons = persons

    def sentence_at(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self._starts, pos) - 1  # sentences are in order and never overlap
        if i >= 0 and self.sentences[i][0] <= pos < self.sentences[i][1]:
            return self.sentences[i]
        return pos, pos

    def context(self, start: int, end: int) -> str:
        """The sentences ``start:end`` touches, whitespace folded; each such run is folded once, so
        the many quotes of one long sentence do not each copy it."""
        first = bisect.bisect_right(self._ends, start)  # the first sentence ending after start
        last = bisect.bisect_left(self._starts, end) - 1  # the last starting before end
        if first > last:
            return self.text[start:end]
        if (first, last) not in self._contexts:
            span = self.text[self.sentences[first][0] : self.sentences[last][1]]
            self._contexts[(first, last)] = re.sub(r"\s+", " ", span)
        return self._contexts[(first, last)]

    def matches(self, pattern: re.Pattern[str], start: int, end: int) -> list[re.Match[str]]:
        """``pattern``'s matches in ``text[start:end]`` (positions in the whole text), searched once per
        span however often it is asked: the many quotes of one long sentence share one search."""
        key = (pattern.pattern, start, end)
        if key not in self._matches:
            self._matches[key] = list(pattern.finditer(self.text, start, end))
        return self._matches[key]

    def mentions_in(self, start: int, end: int) -> list[tuple[int, int, Person]]:
        """The person mentions that start in ``[start, end)``, found by bisection."""
        lo = bisect.bisect_left(self._mention_starts, start)
        hi = bisect.bisect_left(self._mention_starts, end, lo)
        return self.mentions[lo:hi]

    def last_person_before(self, pos: int, floor: int = 0) -> Person | None:
        found = self.mentions_in(floor, pos)
        return found[-1][2] if found else None

    def first_person_in(self, start: int, end: int) -> Person | None:
        found = self.mentions_in(start, end)
        return found[0][2] if found else None

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
                # the substring test first: a regex per key of every person thrashed re's cache
                k in who and re.search(r"(?<![\w’'])" + re.escape(k) + r"(?![\w])", who) for k in p.keys
            ):
                return p.name
        toks = [t for t in TOKEN_RE.findall(who) if t.lower().strip(".") not in TITLE_WORDS]
        if not toks or all(t.lower() in NOT_NAME and t.lower() not in {"the"} for t in toks):
            return None
        if toks[0].lower() in NOT_NAME - {"the"} and len(toks) == 1:
            return None
        return who
