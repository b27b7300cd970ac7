"""Related stories in a digest: the other stories that share a story's key players, places or topic.

Code does it from what each brief already holds, with no model call. A story's features are its
key players and the actors of its perspectives (a person by surname, so "President Biden" meets
"Joe Biden"; never a news outlet), its places, and the words of its topics. Each shared feature
counts by how rare it is among the digest's stories (inverse document frequency), so a name every
story carries ("United States" in a US digest) says little and a shared key player says much;
places count for less than players and topics. Two stories are related when they share a key
player or actor, and their score reaches :data:`RELATED_MIN` times log(stories + 1) (so a rare name counts as much in
a small digest as in a large one); each story lists at most
:data:`RELATED_MAX`, best first, with what they share.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping

from ..schema.brief import StoryBrief
from ..schema.parts import RelatedStory
from ..text.lexicons import STOPWORDS
from ..text.names import name_tokens
from ..text.outlets import outlet_names
from ..text.words import align_stem, words

__all__ = ["RELATED_MAX", "RELATED_MIN", "features", "related_stories"]

RELATED_MAX = 5  # related stories listed per story
TOPIC_WORDS = 2  # shared topic or headline words that relate two stories without a shared player
# The score two stories need, per unit of log(stories + 1): rarity scores grow with the digest, so the bar
# does too (3.5 in the 41-story dev digest: a rare shared key player and a word, or a few rare words).
RELATED_MIN = 0.94
WEIGHTS = {"player": 1.0, "topic": 0.5, "place": 0.25}  # what each kind of shared feature counts for


def _person(name: str) -> str | None:
    toks = [t for t in name_tokens(name) if len(t) > 1]
    return toks[-1].lower() if toks else None


def features(brief: StoryBrief) -> dict[tuple[str, str], str]:
    """``{(kind, key): what a reader reads}`` for one brief: its players (key players, perspectives'
    actors, and the people and organizations two or more of its articles name; people by surname,
    never a news outlet), its places, and the words of its topics and headline by stem."""
    out: dict[tuple[str, str], str] = {}
    outlets = {k.casefold() for k in outlet_names()}
    persons = {e.name for e in brief.entities.persons}
    named = [e.name for e in [*brief.entities.persons, *brief.entities.organizations] if len(e.sources) >= 2]
    for name in [k.name for k in brief.key_players] + [p.actor for p in brief.perspectives] + named:
        if name.casefold() in outlets:
            continue  # "according to Reuters": the wire, not a player
        person = _person(name) if name in persons else None
        out.setdefault(("player", person or name.casefold()), name)
    for place in brief.location:
        out.setdefault(("place", place.casefold()), place)
    for text in [*brief.topics, brief.title]:
        for w in words(text):
            if len(w) > 3 and w.lower() not in STOPWORDS:
                out.setdefault(("topic", align_stem(w.lower())), w.lower())
    return out


def related_stories(briefs: Mapping[str, StoryBrief], *, links: Mapping[str, str] | None = None,
                    limit: int = RELATED_MAX, min_score: float | None = None) -> dict[str, list[RelatedStory]]:
    """``{story id: its related stories}`` among ``briefs`` (keyed by story id), ranked by score;
    ``links`` gives each story's page (relative to another story's page) for the entries' ``link``.
    ``min_score`` defaults to :data:`RELATED_MIN` times log(stories + 1)."""
    feats = {sid: features(b) for sid, b in briefs.items()}
    df = Counter(f for fs in feats.values() for f in fs)
    n = len(feats)
    if min_score is None:
        min_score = RELATED_MIN * math.log(n + 1)
    idf = {f: math.log((n + 1) / (c + 0.5)) for f, c in df.items()}
    out: dict[str, list[RelatedStory]] = {}
    for sid, mine in feats.items():
        found = []
        for other, theirs in feats.items():
            shared = sorted(set(mine) & set(theirs), key=lambda f: -idf[f] * WEIGHTS[f[0]])
            if other == sid or not (any(kind == "player" for kind, _ in shared)
                                    or sum(kind == "topic" for kind, _ in shared) >= TOPIC_WORDS):
                continue  # a shared place, or one word, is a beat, not a related story
            score = sum(idf[f] * WEIGHTS[f[0]] for f in shared)
            if score >= min_score:
                said = list({mine[f].casefold(): mine[f] for f in reversed(shared)}.values())[::-1]
                said = [w for w in said if not any(w.casefold() != o.casefold() and w.casefold() in o.casefold()
                                                   for o in said)]  # "biden" within "Joe Biden"
                found.append(RelatedStory(story_id=other, title=briefs[other].title, score=round(score, 2),
                                          shared=said[:6], link=(links or {}).get(other)))
        out[sid] = sorted(found, key=lambda r: (-r.score, r.story_id))[:limit]
    return out
