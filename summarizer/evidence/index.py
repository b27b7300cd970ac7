"""Per-article look-ups shared by quote and figure extraction: sentences and person mentions."""

from __future__ import annotations

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
        self.mentions = finder.mentions(article.text) if finder is not None else person_mentions(article.text, persons)
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
