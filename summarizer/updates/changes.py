"""What new articles changed, found by code: facts, figures, actors and quotes only they bring.

Everything here compares the old brief with the evidence of the whole cluster (old and new
articles together), so an item counts as new only when no old article reports it and the old
brief does not already say it. Each item carries the source sentences or spans it rests on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..evidence import Evidence, Fact
from ..evidence.speech import same_actor
from ..pipeline import fact_sentence, says
from ..schema.brief import StoryBrief
from ..schema.meta import FigureChange, WhatsNew
from ..schema.parts import Claim, Perspective, Statement
from ..text.numbers import figures

MAX_NEW_FACTS = 5  # what an update reports must stay short to read; the rest is in the sources
MAX_NEW_ACTORS = 3
MAX_NEW_QUOTES = 4
MAX_EVIDENCE_PER_ACTOR = 2


@dataclass
class Changes:
    """What the new articles bring, before any model call: the section and its facts (for the prompt)."""

    whats_new: WhatsNew
    facts: list[Fact]  # the new facts, best first; the prompt numbers them 1..n

    @property
    def empty(self) -> bool:
        w = self.whats_new
        return not (self.facts or w.figures or w.actors or w.quotes)


def new_facts(old: StoryBrief, ev: Evidence, new_ids: set[str]) -> list[Fact]:
    """Facts that only new articles report and the old brief does not already state, best first."""
    said = list(old.summary) + list(old.key_points)
    out: list[Fact] = []
    for fact in ev.facts:
        if len(out) >= MAX_NEW_FACTS:
            break
        if set(fact.articles) <= new_ids and not any(says(s, fact) for s in said) and fact_sentence(fact):
            out.append(fact)
    return out


def _values(text: str) -> frozenset[float]:
    return frozenset(v for _, vals in figures(text) for v in vals)


def _key(claim: Claim) -> tuple[frozenset[float], str]:
    return _values(claim.value), " ".join(claim.claimant.casefold().split())


def figure_changes(old: StoryBrief, ev: Evidence, new_ids: set[str]) -> list[FigureChange]:
    """Disputed figures where a new article brings a claim (a value, or a claimant) the old brief lacked."""
    out: list[FigureChange] = []
    for d in ev.disagreements:
        values = set().union(*(_values(c.value) for c in d.claims))
        before = [x for x in old.disagreements if x.subject == d.subject] or [
            x for x in old.disagreements if any(_values(c.value) & values for c in x.claims)]
        previous = [c for x in before for c in x.claims]
        known = {_key(c) for c in previous}
        added = [c for c in d.claims if set(c.sources) & new_ids and _key(c) not in known]
        if added:
            # What the added claims were before: the old claims of the same figure (none for a new figure).
            mine = set().union(*(_values(c.value) for c in added))
            before_them = [c for c in previous if _values(c.value) & mine]
            out.append(FigureChange(subject=d.subject, claims=list(d.claims), added=added, previous=before_them))
    return out


def _known(actor: str, names: Sequence[str]) -> bool:
    return any(same_actor(actor, n) for n in names)


def _in_old(actor: str, ev: Evidence, new_ids: set[str]) -> bool:
    """The old articles already quote or report the actor: not new to the story, only to the brief."""
    return any(q.article_id not in new_ids and q.speaker and same_actor(actor, q.speaker) for q in ev.quotes) or any(
        r.sentence.article_id not in new_ids and same_actor(actor, r.actor) for r in ev.reported)


def new_actors(old: StoryBrief, ev: Evidence, actors: Sequence[str], new_ids: set[str]) -> list[Perspective]:
    """Actors that neither the old brief nor its articles quote or report, with what the new articles say of them."""
    names = [p.actor for p in old.perspectives] + [q.speaker for q in old.quotes]
    out: list[Perspective] = []
    for actor in actors:
        if len(out) >= MAX_NEW_ACTORS:
            break
        if _known(actor, names) or _known(actor, [p.actor for p in out]) or _in_old(actor, ev, new_ids):
            continue
        said = [q.id for q in ev.quotes if q.speaker and q.article_id in new_ids and same_actor(actor, q.speaker)]
        statements = _only_new(ev.statements(said, speaker=actor) if said else [], new_ids)
        evidence = list({(r.sentence.article_id, r.sentence.start): r.sentence for r in ev.reported
                         if r.sentence.article_id in new_ids and same_actor(actor, r.actor)}.values())
        evidence = evidence[:MAX_EVIDENCE_PER_ACTOR]
        if statements or evidence:
            sources = list(dict.fromkeys([q.article_id for st in statements for q in st.renderings]
                                         + [e.article_id for e in evidence]))
            out.append(Perspective(actor=actor, statements=statements, evidence=evidence, sources=sources))
    return out


def _only_new(statements: Sequence[Statement], new_ids: set[str]) -> list[Statement]:
    """Each statement with its renderings in the new articles (dropped if it has none)."""
    out = []
    for st in statements:
        renderings = [r for r in st.renderings if r.article_id in new_ids]
        if renderings:
            out.append(Statement(speaker=st.speaker, renderings=renderings))
    return out


def new_quotes(old: StoryBrief, ev: Evidence, new_ids: set[str]) -> list[Statement]:
    """Statements that only new articles quote (no old article renders them), with a named speaker."""
    old_texts = {" ".join(q.text.split()) for q in old.quotes}
    said = [q.id for q in ev.quotes if q.speaker and q.article_id in new_ids]
    out = []
    for st in ev.statements(said):
        if all(r.article_id in new_ids for r in st.renderings) and not any(
                " ".join(r.text.split()) in old_texts for r in st.renderings):
            out.append(st)
        if len(out) >= MAX_NEW_QUOTES:
            break
    return out


def find_changes(old: StoryBrief, ev: Evidence, actors: Sequence[str], new_ids: Sequence[str]) -> Changes:
    """Everything the articles ``new_ids`` bring to ``old``; ``ev`` is the evidence of all the articles."""
    ids = set(new_ids)
    facts = new_facts(old, ev, ids)
    whats_new = WhatsNew(
        articles=list(new_ids),
        facts=[s for f in facts if (s := fact_sentence(f)) is not None],
        figures=figure_changes(old, ev, ids),
        actors=new_actors(old, ev, actors, ids),
        quotes=new_quotes(old, ev, ids),
    )
    return Changes(whats_new, facts)


def change_lines(whats_new: WhatsNew, outlets: dict[str, str]) -> list[str]:
    """The changelog entry's lines: what was added, in counts and names taken from the checked section."""
    def count(n: int, what: str) -> str:
        return f"{n} {what}{'' if n == 1 else 's'}"

    added = [outlets.get(a) or a for a in whats_new.articles]
    lines = [f"{count(len(added), 'article')} added: {', '.join(added)}" if added else "no articles added"]
    if whats_new.facts:
        lines.append(count(len(whats_new.facts), "new fact"))
    lines += [f"changed figure: {f.subject}" for f in whats_new.figures]
    if whats_new.actors:
        lines.append(f"{count(len(whats_new.actors), 'new actor')}: {', '.join(p.actor for p in whats_new.actors)}")
    if whats_new.quotes:
        lines.append(count(len(whats_new.quotes), "new quote"))
    if len(lines) == 1:
        lines.append("nothing new: the added articles repeat what the brief already says")
    return lines
