"""Reported speech: positions the articles attribute to an actor without quoting them.

"Zelenskyy warned that ...", "Russia's foreign ministry denied ...", "according to South Korea's
intelligence service ...": each is a :class:`Reported` statement with its source sentence, so a
perspective can rest on what the source says even where nobody is quoted. Actors may be people,
countries or organisations.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..schema.parts import SentenceRef
from ..text.lexicons import COUNTRIES, ORG_KEYWORDS, ORGS, SPEECH_VERBS, gazetteer
from ..text.names import names_match
from ..text.sentences import unquoted
from .figures import CLAIM_VERBS, subject_ending_at
from .index import ArticleIndex

_VERBS = re.compile(r"\b(?:" + SPEECH_VERBS + "|" + CLAIM_VERBS + r"|accused|urged|called for|rejected|dismissed)\b")
_ACCORDING = re.compile(r"\b[Aa]ccording to (?P<who>(?:the\s+)?(?:[A-Z][\w’'.\-]*\s*){1,5}(?:[a-z]+\s+){0,2}?(?:[A-Z][\w’'.\-]*|agency|service|ministry|officials?)?)")
# News agencies are how the articles know, not actors of the story.
_AGENCIES = {"reuters", "afp", "ap", "tass", "yonhap", "bloomberg", "associated press", "agence france-presse",
             "xinhua", "interfax", "ria novosti", "kyodo", "efe", "dpa", "ansa"}
_GENERIC = {"it", "he", "she", "they", "this", "that", "which", "who", "officials", "sources", "reports", "media"}


@dataclass(frozen=True)
class Reported:
    """One attributed statement: who, the verb, and the sentence that reports it."""

    actor: str
    verb: str
    sentence: SentenceRef


def _actor(who: str, at: int, ix: ArticleIndex) -> str | None:
    who = re.sub(r"^(?:the|a|an)\s+", "", who.strip(" ,"), flags=re.IGNORECASE).strip()
    if not who or who.lower() in _GENERIC | _AGENCIES or not re.search(r"[A-Z]", who):
        return None
    resolved = ix.resolve(who, at)
    if resolved is None:
        return None
    words = {w.strip(".’'s").lower() for w in resolved.split()}
    known = gazetteer(COUNTRIES) | gazetteer(ORGS)
    if any(p.name == resolved for p in ix.persons) or resolved in known or words & ORG_KEYWORDS \
            or any(k in resolved for k in known if len(k) > 3):
        return resolved
    return None


def reported_in(ix: ArticleIndex) -> list[Reported]:
    """The attributed statements of one article, in text order."""
    out: list[Reported] = []
    for s, e in ix.sentences:
        sentence = ix.text[s:e]
        if len(sentence.split()) < 6:
            continue
        voice = unquoted(sentence)
        ref = SentenceRef(article_id=ix.article.id, start=s, end=e, text=sentence)
        found: list[tuple[str, str]] = []
        for m in _ACCORDING.finditer(voice):
            if (who := _actor(m.group("who"), s + m.start(), ix)):
                found.append((who, "according to"))
        for m in _VERBS.finditer(voice):
            subject = subject_ending_at(voice, m.start())
            if subject and (who := _actor(subject, s + m.start(), ix)):
                found.append((who, m.group()))
        for who, verb in dict.fromkeys(found):
            out.append(Reported(who, verb, ref))
    return out


def find_reported(indexes: Sequence[ArticleIndex]) -> list[Reported]:
    return [r for ix in indexes for r in reported_in(ix)]


def same_actor(a: str, b: str) -> bool:
    """Names match as people do ("Putin" / "Vladimir Putin"); institutions match case-insensitively."""
    return a.lower() == b.lower() or names_match(a, b)


def reported_actors(reported: Sequence[Reported]) -> list[str]:
    """Distinct reported actors, those reported by most articles first (ties: first seen)."""
    by_actor: dict[str, set[str]] = {}
    for r in reported:
        key = next((k for k in by_actor if same_actor(k, r.actor)), r.actor)
        by_actor.setdefault(key, set()).add(r.sentence.article_id)
    return sorted(by_actor, key=lambda a: -len(by_actor[a]))
