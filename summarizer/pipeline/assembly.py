"""From the model's draft to a StoryBrief: content policy and clean-up of model text.

Quotes come from the evidence, never from the model: a perspective gets every statement the
evidence found its actor saying. So do the coverage by outlet and stance, the places and the key
players (:mod:`summarizer.evidence.outlets`, :mod:`summarizer.evidence.players`). Disputed figures the summary does not state get an
attributed sentence of their own, so the summary never picks one side silently.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol

from ..evidence.outlets import build_coverage
from ..evidence.players import key_players, story_location
from ..evidence.speech import same_actor as _reported_same
from ..schema.article import Article
from ..schema.brief import StoryBrief
from ..schema.parts import CitedSentence, Disagreement, Origin, Perspective, SentenceRef, Source, Summary
from ..text.names import name_tokens, names_match
from ..text.numbers import figures
from ..text.roles import role_of
from ..text.words import pieces, strip_possessives
from ..truth.claims import disagreement_sentence
from .prepare import Prepared

MIN_SENTENCE_WORDS = 4  # "President Putin in article 1" says nothing
MAX_STATEMENTS_PER_ACTOR = 3
MAX_REPORTED_PER_ACTOR = 2
MIN_PERSPECTIVES = 4  # with a fact sheet, code tops the model's choice up to this many actors

# Prompt scaffolding a small model sometimes copies into its answer: article numbers, and the fact
# sheet's outlet counts ("according to two outlets", a number no article gives).
_COUNT = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|\d+|several|multiple|both|all|many)"
_SCAFFOLDING = re.compile(r"\s*[\[(]\s*(?:articles?|sources?|Q)\s*\d+(?:\s*(?:,|and)\s*\d+)*\s*[\])]"
                          r"|\s+\b(?:in|from|according to) articles? \d+(?:\s*(?:,|and)\s*\d+)*\b"
                          rf"|\s*\(\s*\d+ outlets?\s*\)|(,)?\s+(?:according to|as reported by|reported by) {_COUNT} "
                          r"(?:news |media )?outlets?\b(?(1),?)", re.IGNORECASE)
_SPACED_INITIALS = re.compile(r"\b([A-Z])\. (?=[A-Z]\.)")  # "U. S." -> "U.S." (a small-model tokenizer quirk)


# The prompt's own words echoed as an opening ("The most important facts are that ...").
_ECHO = re.compile(r"^\s*(?:the\s+)?most\s+important\s+(?:first\s+)?facts?\s+(?:above\s+)?(?:is|are)\s+(?:that\s+)?(?=\S)",
                   re.IGNORECASE)


def clean_model_text(text: str) -> str:
    text = " ".join(_SPACED_INITIALS.sub(r"\1.", _SCAFFOLDING.sub("", text)).split())
    echo = _ECHO.match(text)
    return text[echo.end()].upper() + text[echo.end() + 1 :] if echo else text


def _values(text: str) -> set[float]:
    return {v for _, vals in figures(text) for v in vals}


def mentions_claims(summary: Sequence[CitedSentence], d: Disagreement) -> bool:
    """True when the summary already states at least two of the disputed figures."""
    said = set().union(*(_values(s.text) for s in summary)) if summary else set()
    return sum(1 for c in d.claims if _values(c.value) & said) >= 2


def disagreement_lines(summary: Sequence[CitedSentence], disagreements: Sequence[Disagreement]) -> list[CitedSentence]:
    """The attributed line of each disagreement whose figures neither ``summary`` nor an earlier line
    states, so that a summary never picks one side silently."""
    lines: list[CitedSentence] = []
    for d in disagreements:
        if not mentions_claims([*summary, *lines], d):
            lines.append(disagreement_sentence(d))
    return lines


def _same_actor(a: str | None, b: str | None) -> bool:
    return bool(a and b) and names_match(a, b)  # type: ignore[arg-type]


def _mentions(article: Article, actor: str) -> bool:
    """The article names the actor (by their last significant name token, e.g. a surname)."""
    tokens = name_tokens(actor)
    return bool(tokens) and re.search(rf"\b{re.escape(tokens[-1])}\b", article.text, re.IGNORECASE) is not None


def model_sentence(text: str, sources: Sequence[str], evidence: Sequence[SentenceRef] = (), *,
                   origin: Origin = "model") -> CitedSentence | None:
    """A sentence the model wrote, cleaned of prompt scaffolding (:func:`clean_model_text`) and cited
    as given; None when what is left is too short to say anything (under MIN_SENTENCE_WORDS words)."""
    text = clean_model_text(text)
    if len(text.split()) < MIN_SENTENCE_WORDS:
        return None
    return CitedSentence(text=text, sources=list(sources), evidence=list(evidence), origin=origin)


def _citation(s: Any, prep: Prepared, ids: dict[int, str]) -> dict[str, Any]:
    if prep.sheet is None:
        return {"sources": list(dict.fromkeys(ids[n] for n in s.sources))}
    facts = [prep.sheet.fact(n) for n in dict.fromkeys(s.facts)]
    order = {a.id: i for i, a in enumerate(prep.articles)}
    sources = sorted({a for f in facts for a in f.articles}, key=order.__getitem__)
    return {"sources": sources, "evidence": [x.ref() for f in facts for x in f.sentences]}


def _cited(sentences: Sequence[Any], prep: Prepared, ids: dict[int, str]) -> list[CitedSentence]:
    out: list[CitedSentence] = []
    for s in sentences:
        sentence = model_sentence(s.text, **_citation(s, prep, ids))
        if sentence is not None and all(sentence.text != o.text for o in out):
            out.append(sentence)
    return out


class ChosenActor(Protocol):
    """An actor chosen for a perspective, with the role and stance written for them: a draft's
    perspective, or a brief's own :class:`~summarizer.schema.Perspective` (an update carries those over)."""

    @property
    def actor(self) -> str: ...

    @property
    def role(self) -> str: ...

    @property
    def stance(self) -> str: ...


def perspectives(prep: Prepared, chosen: Sequence[ChosenActor]) -> list[Perspective]:
    """Perspectives for the ``chosen`` actors (role and stance cleaned of prompt scaffolding), each with
    the statements and reported-speech sentences found for them in ``prep``'s articles anew; an actor
    named twice gets one."""
    out: list[Perspective] = []
    for p in chosen:
        actor = " ".join(p.actor.split())
        said = [q.id for q in prep.evidence.quotes if q.speaker and _same_actor(actor, q.speaker)]
        statements = prep.evidence.statements(said, speaker=actor) if said else []
        # Statements quoted by more outlets first; a few per actor.
        statements = sorted(statements, key=lambda st: -len(st.renderings))[:MAX_STATEMENTS_PER_ACTOR]
        sources = sorted({r.article_id for s in statements for r in s.renderings}
                         | {a.id for a in prep.articles if _mentions(a, actor)},
                         key=lambda i: prep.numbers.get(i, 0))
        if any(_same_actor(actor, q.actor) for q in out):
            continue
        evidence = _evidence_of(prep, actor)
        sources = sorted(set(sources) | {e.article_id for e in evidence}, key=lambda i: prep.numbers.get(i, 0))
        role = _role(actor, clean_model_text(p.role), prep.articles)
        out.append(Perspective(actor=actor, role=role, stance=clean_model_text(p.stance),
                               statements=statements, evidence=evidence, sources=sources))
    return out


def _role(actor: str, model_role: str, articles: Sequence[Article]) -> str:
    """The role the articles give the actor: their words, and this person's, which the model's need
    not be. The model's is kept where it refines the articles' ("President of Taiwan" for
    "President") or where the articles give none."""
    theirs = role_of(actor, [a.text for a in articles])
    if not theirs:
        return model_role
    def words(role: str) -> set[str]:
        return set(pieces(strip_possessives(role.lower())))

    return model_role if words(theirs) <= words(model_role) else theirs


def _evidence_of(prep: Prepared, actor: str) -> list[Any]:
    found = [r.sentence for r in prep.evidence.reported if _reported_same(actor, r.actor)]
    return list({(e.article_id, e.start): e for e in found}.values())[:MAX_REPORTED_PER_ACTOR]


def _top_up(prep: Prepared, chosen: list[Perspective]) -> list[Perspective]:
    """Code adds the most reported actors the model left out, up to MIN_PERSPECTIVES: each rests on
    its quotes and reported-speech sentences, with the role the articles give them (no stance is
    written for them)."""
    out = list(chosen)
    for actor in prep.speakers:
        if len(out) >= MIN_PERSPECTIVES:
            break
        if any(_same_actor(actor, p.actor) or _reported_same(actor, p.actor) for p in out):
            continue
        said = [q.id for q in prep.evidence.quotes if q.speaker and _same_actor(actor, q.speaker)]
        statements = sorted(prep.evidence.statements(said, speaker=actor) if said else [],
                            key=lambda st: -len(st.renderings))[:MAX_STATEMENTS_PER_ACTOR]
        evidence = _evidence_of(prep, actor)
        if statements or evidence:
            sources = sorted({r.article_id for st in statements for r in st.renderings}
                             | {e.article_id for e in evidence}, key=lambda i: prep.numbers.get(i, 0))
            out.append(Perspective(actor=actor, role=role_of(actor, [a.text for a in prep.articles]),
                                   statements=statements, evidence=evidence, sources=sources))
    return out


def assemble(prep: Prepared, draft: Any) -> StoryBrief:
    """The brief a draft describes, before the truth layer checks it."""
    ids = {n: a for a, n in prep.numbers.items()}
    summary = _cited(draft.summary, prep, ids)
    summary += disagreement_lines(summary, prep.evidence.disagreements)
    given = perspectives(prep, draft.perspectives)
    given = _top_up(prep, given) if prep.sheet else given
    ev = prep.evidence
    return StoryBrief(
        title=" ".join(draft.title.split()),
        summary=Summary(summary),
        key_points=_cited(draft.key_points, prep, ids),
        perspectives=given,
        disagreements=list(prep.evidence.disagreements),
        timeline=list(prep.evidence.timeline),
        sources=[Source.from_article(a) for a in prep.all_articles],
        entities=prep.evidence.entities,
        # How each outlet told it, where, and who: read off the evidence, never written by the model.
        coverage=build_coverage(ev.facts, prep.articles),
        location=story_location(ev.entities, prep.articles, ev.facts),
        key_players=key_players(given, ev.entities, prep.all_articles),
        topics=list(dict.fromkeys(t.strip() for t in draft.topics if t.strip())),
    )
