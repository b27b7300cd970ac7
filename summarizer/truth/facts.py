"""Facts: every figure and name in the brief's own sentences appears in the articles.

:func:`sentence_facts` finds the numbers and names of a sentence and which articles hold
each; the facts check flags those no article holds, the actor and role checks do the same for
perspectives. Which cited article holds which fact is the citation checks' business
(:mod:`summarizer.truth.citations`).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from ..schema.article import Article
from ..schema.parts import CitedSentence, Perspective
from ..text.lexicons import COUNTRIES, ORGS, STOPWORDS, demonyms, gazetteer
from ..text.names import known_caps, names_in
from ..text.numbers import figures, spelled_counts
from ..text.words import letter_words
from .base import ARTICLE_CACHE, Context, Issue, NoRepair


@dataclass(frozen=True)
class _ArticleFacts:
    words: list[str]  # sorted lowercase words, for prefix look-ups
    numbers: frozenset[float]
    text_lower: str
    common: frozenset[str]  # words the article also writes in lower case: ordinary words, not names


@functools.lru_cache(maxsize=ARTICLE_CACHE)
def _facts_of(text: str) -> _ArticleFacts:
    found = letter_words(text)
    words = sorted({w.lower() for w in found})
    common = frozenset(w for w in found if w[0].islower())
    numbers = frozenset(v for _, vals in figures(text) + spelled_counts(text) for v in vals)
    return _ArticleFacts(words, numbers, text.lower(), common)


def _has_prefix_word(facts: _ArticleFacts, token: str) -> bool:
    low = token.lower()
    # Lenient on endings ("Ukrainian"/"Ukraine", "Zelensky"/"Zelenskyy"), strict on the stem.
    prefix = low if len(low) <= 4 else low[: max(4, len(low) - 3)]
    i = bisect.bisect_left(facts.words, prefix)
    return i < len(facts.words) and facts.words[i].startswith(prefix)


def _phrase_variants(phrase: str) -> set[str]:
    variants = {phrase}
    for table in (gazetteer(COUNTRIES), gazetteer(ORGS)):
        canon = table.get(phrase)
        if canon:
            variants |= {s for s, c in table.items() if c == canon}
    dem = demonyms()
    if phrase in dem:
        variants.add(dem[phrase])
    variants |= {d for d, c in dem.items() if c == phrase}
    return variants


def _name_supported(phrase: str, tokens: list[str], art: Article) -> bool:
    return _name_in_text(phrase, tuple(tokens), art.text)


# Pure in (phrase, tokens, article text), and the same names are asked of the same articles by
# every sentence, every truth.check and every coverage candidate: memoised, so the repeated
# checks cost a dict lookup instead of a scan of every article (str hashes are cached by Python).
@functools.lru_cache(maxsize=1 << 16)
def _name_in_text(phrase: str, tokens: tuple[str, ...], text: str) -> bool:
    facts = _facts_of(text)
    if any(v.lower() in facts.text_lower for v in _phrase_variants(phrase) if len(v) > 1):
        return True
    found = [
        _has_prefix_word(facts, t)
        or any(v.lower() in facts.text_lower for v in _phrase_variants(t) if len(v) > 2)
        for t in tokens
    ]
    # "Joe Biden" where the article says "President Biden": the surname carries the name. Only a
    # surname does: "CBS News" is not carried by "news", a word the article writes in lower case.
    return all(found) or (
        len(tokens) >= 2 and found[-1] and len(tokens[-1]) >= 4 and phrase.split()[-1] == tokens[-1]
        and tokens[-1].lower() not in facts.common
    )


def number_supported(values: tuple[float, ...], art: Article) -> bool:
    nums = _facts_of(art.text).numbers
    return any(v in nums for v in values)


@dataclass
class SentenceFacts:
    missing_numbers: list[str]  # in no article at all
    missing_names: list[str]
    uncited_facts: dict[str, list[str]]  # fact -> other articles that have it
    n_numbers: int
    n_names: int


def sentence_facts(text: str, cited: Sequence[Article], articles: Sequence[Article]) -> SentenceFacts:
    known = known_caps(tuple(a.text for a in articles))
    result = SentenceFacts([], [], {}, 0, 0)
    # Counts in words too ("two outlets"): an invented count is as unsourced as an invented figure.
    for raw, values in figures(text) + spelled_counts(text):
        result.n_numbers += 1
        if any(number_supported(values, a) for a in cited):
            continue
        elsewhere = [a.id for a in articles if number_supported(values, a)]
        if elsewhere:
            result.uncited_facts[raw] = elsewhere
        else:
            result.missing_numbers.append(raw)
    for phrase, tokens in names_in(text, known):
        result.n_names += 1
        if any(_name_supported(phrase, tokens, a) for a in cited):
            continue
        elsewhere = [a.id for a in articles if _name_supported(phrase, tokens, a)]
        if elsewhere:
            result.uncited_facts[phrase] = elsewhere
        else:
            result.missing_names.append(phrase)
    return result


def fact_holders(text: str, articles: Sequence[Article]) -> list[tuple[str, frozenset[str]]]:
    """Each number and name of ``text`` (every occurrence), with the ids of the articles that hold it.

    One pass over the articles per fact, so that asking which of many cited articles hold a
    sentence's facts stays linear in the cluster (see ``citations.SupportCheck._narrow``)."""
    known = known_caps(tuple(a.text for a in articles))
    out = [(raw, frozenset(a.id for a in articles if number_supported(values, a)))
           for raw, values in figures(text) + spelled_counts(text)]
    out += [(phrase, frozenset(a.id for a in articles if _name_supported(phrase, tokens, a)))
            for phrase, tokens in names_in(text, known)]
    return out


def role_supported(role: str, articles: Sequence[Article]) -> bool:
    """Roles are written in Title Case ("Speaker of the Senate"), so the name check skips them;
    instead every capitalised word of a role must occur, in any case, in some article."""
    if sentence_facts(role, articles, articles).missing_names:
        return False
    words = {w.lower() for w in re.findall(r"\b[A-Z][\w.'’-]*", role)} - STOPWORDS
    vocab = " ".join(a.text.lower() for a in articles)
    return all(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", vocab) for w in words)


def cited_articles(item: Any, ctx: Context) -> list[Article]:
    """The articles a sentence cites; text with no citations (a title, a stance) answers to all of them."""
    if isinstance(item, CitedSentence):
        return [ctx.by_id[s] for s in item.sources if s in ctx.by_id]
    return ctx.articles


def text_of(item: Any) -> str:
    return item.text if isinstance(item, CitedSentence) else item


def missing_fact_issues(where: str, facts: SentenceFacts) -> list[Issue]:
    """Numbers and names that no article contains."""
    return [
        Issue("number_unsupported", where, f"says {r!r} but no article contains that number")
        for r in facts.missing_numbers
    ] + [Issue("name_unsupported", where, f"names {n!r}, which appears in no article") for n in facts.missing_names]


class FactsCheck(NoRepair):
    """Figures and names in the brief's voice that appear in no article (fatal: they cannot be sourced)."""

    kinds: ClassVar[tuple[str, ...]] = ("title", "sentence", "stance")
    order: ClassVar[int] = 40

    def check(self, item: Any, where: str, ctx: Context) -> list[Issue]:
        facts = sentence_facts(text_of(item), cited_articles(item, ctx), ctx.articles)
        if isinstance(item, CitedSentence):
            ctx.tally.add("numbers_checked", facts.n_numbers)
            ctx.tally.add("names_checked", facts.n_names)
            ctx.tally.add("numbers_unsupported", len(facts.missing_numbers))
            ctx.tally.add("names_unsupported", len(facts.missing_names))
        return missing_fact_issues(where, facts)


class ActorCheck(NoRepair):
    """A perspective's actor must be named in some article."""

    kinds: ClassVar[tuple[str, ...]] = ("actor",)
    order: ClassVar[int] = 40

    def check(self, item: Perspective, where: str, ctx: Context) -> list[Issue]:
        if sentence_facts(item.actor, ctx.articles, ctx.articles).missing_names:
            return [Issue("actor_unsupported", where, f"actor {item.actor!r} appears in no article")]
        return []


class RoleCheck(NoRepair):
    """A perspective's role ("President of Russia") must be drawn from the articles; otherwise it is cleared."""

    kinds: ClassVar[tuple[str, ...]] = ("role",)
    order: ClassVar[int] = 40

    def check(self, item: str, where: str, ctx: Context) -> list[Issue]:
        if item and not role_supported(item, ctx.articles):
            return [Issue("role_unsupported", where, f"role {item!r} is not in the articles")]
        return []


CHECKS = [FactsCheck(), ActorCheck(), RoleCheck()]
