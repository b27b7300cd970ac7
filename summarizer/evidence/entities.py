"""Countries, organisations and people of a cluster, with mention counts and sources."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from ..schema.article import Article
from ..schema.parts import Entities, Entity
from ..text.lexicons import COUNTRIES, ORG_KEYWORDS, ORGS, TITLE_WORDS, demonyms, gazetteer, gazetteer_pattern
from ..text.words import is_possessive
from .model import Person
from .persons import PersonFinder, person_mentions

_ORG_CONNECTORS = frozenset({"of", "for", "and", "the", "on", "de"})


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
            if not any(t.lower().strip(".") in ORG_KEYWORDS for t in toks):
                continue
            # Start after a possessive ("Ukraine’s Defense Intelligence Directorate") or a title.
            start = 0
            for i, t in enumerate(toks):
                if (
                    (is_possessive(t) and t[:6].lower() != "people")
                    or t.lower().strip(".") in TITLE_WORDS
                    or t.lower()
                    in {"on", "meanwhile", "however", "earlier", "while", "when", "after", "according"}
                ):
                    start = i + 1
            toks = toks[start:]
            if any(
                toks[k + 1].lower() == "and" and (toks[k].lower() in ORG_KEYWORDS | {"house"})
                for k in range(len(toks) - 1)
            ):
                continue  # "House and Senate": two bodies, not one name
            while toks and (toks[0].lower() in _ORG_CONNECTORS or not toks[0][0].isupper()):
                toks = toks[1:]
            while toks and (toks[-1].lower() in _ORG_CONNECTORS or not toks[-1][0].isupper()):
                toks = toks[:-1]
            if not 2 <= len(toks) <= 7 or not any(t.lower().strip(".") in ORG_KEYWORDS for t in toks):
                continue
            last_kw = max(i for i, t in enumerate(toks) if t.lower().strip(".") in ORG_KEYWORDS)
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


def find_entities(articles: Sequence[Article], persons: Sequence[Person], finder: PersonFinder | None = None) -> Entities:
    """Countries, organisations and people, each with its mention count and articles."""
    countries = _count_surface(
        articles, gazetteer_pattern(COUNTRIES), gazetteer(COUNTRIES)
    )
    orgs = _count_surface(articles, gazetteer_pattern(ORGS), gazetteer(ORGS))
    known = {e.name for e in orgs} | set(gazetteer(ORGS))
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
    finder = finder or PersonFinder(persons)
    # Each person is searched only in the articles whose words include its first name word.
    where: dict[int, list[Article]] = {}
    for art in articles:
        for p in finder.candidates(art.text):
            where.setdefault(id(p), []).append(art)
    for p in persons:
        mentions, srcs = 0, set()
        here = where.get(id(p), [])
        for art in here:
            k = len(person_mentions(art.text, [p]))
            if k:
                mentions += k
                srcs.add(art.id)
        if mentions and (any(p.name in a.text for a in here) or any(p.name in a.text for a in articles)):
            people.append(Entity(name=p.name, mentions=mentions, sources=sorted(srcs)))

    def order(es: list[Entity]) -> list[Entity]:
        return sorted(es, key=lambda e: (-e.mentions, e.name))

    return Entities(countries=order(countries), organizations=order(orgs), persons=order(people))
