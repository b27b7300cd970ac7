"""Where the story happens and who is central to it, chosen among what the evidence already found.

Nothing is named here that the evidence step did not find: places are the cluster's countries
(:class:`~summarizer.schema.Entities`), ranked by how many headlines and leads name them, then by
mentions; key players are the brief's perspectives (actor and role) followed by the most
mentioned people and organisations, never an outlet of the cluster.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from ..schema.article import Article
from ..schema.parts import Entities, KeyPlayer, Perspective
from ..text.lexicons import COUNTRIES, demonyms, gazetteer, gazetteer_pattern
from ..text.names import names_match
from ..text.outlets import outlet_keys
from ..text.roles import role_of
from .facts import Fact
from .outlets import lead_sentences

MAX_PLACES = 3
MIN_PLACE_MENTIONS = 2  # a country named once, in no headline or lead, is context, not the place
MAX_PLAYERS = 6
MIN_PLAYER_MENTIONS = 3  # named by one outlet only, a player needs this many mentions


@functools.lru_cache(maxsize=1)
def _demonym_pattern() -> re.Pattern[str]:
    forms = sorted(demonyms(), key=len, reverse=True)
    return re.compile(r"(?<![\w’'])(?:" + "|".join(map(re.escape, forms)) + r")(?![\w])")


def _countries_in(text: str) -> set[str]:
    """Canonical names of the countries a text names, by name or by demonym ("Russian" -> Russia)."""
    table = gazetteer(COUNTRIES)
    found = {table[m.group()] for m in gazetteer_pattern(COUNTRIES).finditer(text)}
    names = demonyms()
    return found | {table.get(names[m.group()], names[m.group()]) for m in _demonym_pattern().finditer(text)}


def story_location(entities: Entities, articles: Sequence[Article], facts: Sequence[Fact]) -> list[str]:
    """The story's place(s): countries already found, most prominent first (headlines, leads, mentions)."""
    table = gazetteer(COUNTRIES)
    originals = [a for a in articles if not a.duplicate_of]
    headlines = [_countries_in(a.title) for a in originals]
    leads = [set().union(*(_countries_in(s.text) for s in lead_sentences(facts, a.id))) for a in originals]
    ranked = []
    for e in entities.countries:
        canon = table.get(e.name, e.name)
        in_headlines = sum(canon in h for h in headlines)
        in_leads = sum(canon in lead for lead in leads)
        if in_headlines or in_leads or e.mentions >= MIN_PLACE_MENTIONS:
            ranked.append(((-in_headlines, -in_leads, -e.mentions, e.name), e.name))
    return [name for _, name in sorted(ranked)[:MAX_PLACES]]


def key_players(perspectives: Sequence[Perspective], entities: Entities, articles: Sequence[Article]) -> list[KeyPlayer]:
    """The story's actors: each perspective's actor and role, then the most mentioned people (with the
    role the articles give them) and bodies."""
    outlets = outlet_keys(a.outlet for a in articles)
    texts = [a.text for a in articles]
    out: list[KeyPlayer] = []

    def known(name: str) -> bool:
        return name.casefold() in outlets or any(names_match(name, p.name) for p in out)

    for p in perspectives:
        if not known(p.actor):
            out.append(KeyPlayer(name=p.actor, role=p.role, sources=list(p.sources)))
    # Named by more outlets first: a player of the story, not of one article's aside.
    people = {id(e) for e in entities.persons}
    for e in sorted([*entities.persons, *entities.organizations], key=lambda e: (-len(e.sources), -e.mentions)):
        if len(out) >= MAX_PLAYERS:
            break
        if (len(e.sources) >= 2 or e.mentions >= MIN_PLAYER_MENTIONS) and not known(e.name):
            role = role_of(e.name, texts) if id(e) in people else ""
            out.append(KeyPlayer(name=e.name, role=role, sources=list(e.sources)))
    return out[:MAX_PLAYERS]
