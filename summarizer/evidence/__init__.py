"""What the articles verifiably contain, found by code before any model runs.

``collect(articles)`` lists the checkable material of a cluster: quoted spans with
their speakers, numbers with their claimants, named entities, and the figures on
which the sources disagree. The model later chooses among these candidates instead of
writing quotes itself, and :mod:`summarizer.truth` holds the brief to them. Everything
here is deterministic: regular expressions, the word lists and gazetteers of
:mod:`summarizer.text.lexicons`, and a handful of rules that favour precision over recall.

==================  ==========================================================
module              holds
==================  ==========================================================
``model``           QuoteCandidate, NumberMention, Person, Evidence
``persons``         people named in full, and their later mentions
``index``           per-article look-ups (sentences, mentions, speaker phrases)
``quotes``          quoted spans and their speakers
``attribution``     who says a quote: the cue that names them, or no one
``statements``      renderings of one statement grouped across outlets
``figures``         figures with their unit, hedge and claimant
``disagreements``   figures for the same thing that differ between sources
``entities``        countries, organisations, people
``facts``           sentences grouped into facts across outlets, ranked (LexRank, MMR)
``speech``          reported speech: positions attributed without a quote
``timeline``        dated events across outlets, with the dates outlets disagree on
``outlets``         how each outlet and stance told it (angle, leads, only-here, blindspots)
``players``         the story's location and key players, among what was found
==================  ==========================================================
"""

from __future__ import annotations

from collections.abc import Sequence

from ..schema.article import Article
from .disagreements import find_disagreements
from .entities import find_entities
from .facts import Fact, Sentence, find_facts
from .figures import extract_numbers, unit_class
from .index import ArticleIndex
from .model import MIN_QUOTE_WORDS, Evidence, NumberMention, Person, QuoteCandidate
from .persons import PersonFinder, find_persons
from .quotes import extract_quotes
from .speech import Reported, find_reported
from .timeline import build_timeline

__all__ = [
    "MIN_QUOTE_WORDS",
    "Evidence",
    "Fact",
    "NumberMention",
    "Person",
    "QuoteCandidate",
    "Reported",
    "Sentence",
    "collect",
    "find_disagreements",
    "find_entities",
    "find_persons",
    "find_quotes",
    "unit_class",
]


def _indexes(arts: Sequence[Article]) -> tuple[list[Person], PersonFinder, list[ArticleIndex]]:
    persons = find_persons(arts)
    finder = PersonFinder(persons)
    return persons, finder, [ArticleIndex(a, persons, finder) for a in arts]


def find_quotes(articles: Sequence[Article]) -> tuple[list[QuoteCandidate], list[QuoteCandidate]]:
    """The quoted spans of a cluster with their speakers, as :func:`collect` finds them:
    ``(quotes, fragments)``, fragments being spans under :data:`MIN_QUOTE_WORDS` words."""
    return extract_quotes(_indexes([a for a in articles if not a.duplicate_of])[2])


def collect(articles: Sequence[Article]) -> Evidence:
    """Gather quotes, numbers, entities, disagreements, facts and the timeline of a cluster (duplicates skipped)."""
    arts = [a for a in articles if not a.duplicate_of]
    persons, finder, indexes = _indexes(arts)
    quotes, fragments = extract_quotes(indexes)
    numbers = [n for ix in indexes for n in extract_numbers(ix)]
    facts = find_facts(arts)
    return Evidence(
        articles=arts,
        quotes=quotes,
        numbers=numbers,
        entities=find_entities(arts, persons, finder),
        disagreements=find_disagreements(numbers, arts),
        fragments=fragments,
        persons=persons,
        facts=facts,
        reported=find_reported(indexes),
        timeline=build_timeline(arts, facts),
    )
