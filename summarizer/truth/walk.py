"""The one traversal of a StoryBrief: every item, its path, and the checks of its kind.

The walker visits, in order: the title, each summary sentence and key point, each perspective
(its actor, every quote rendering, stance, role, sources), each disagreement's claims, the
timeline's events, the source list, the entities, the coverage by outlet and stance, the places, the
key players and an update's "what's new" section. In ``check`` and ``verify`` modes it only collects issues; in
``repair`` mode it applies each check's repair, drops what a fatal issue condemns, and rebuilds
the brief from what survives. Structural rules that concern a whole container (an empty
summary, a perspective with nothing left, a disagreement with one claim) live here too.

Item kinds: ``title``, ``sentence``, ``key_point`` (a sentence, with checks of its own: see
:data:`~summarizer.truth.registry.REFINES`), ``actor`` (a Perspective, for its actor and role), ``quote``,
``stance``, ``role``, ``reference`` (a reported-speech sentence), ``sources`` (a perspective's citations),
``claim``, ``event`` (a timeline event), ``entity``, ``source``, ``outlet`` and ``side`` (coverage entries),
``place``, ``player``, ``reaction``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Literal

from ..evidence.facts import fact_sentence
from ..schema.meta import WhatsNew
from ..schema.parts import (
    CitedSentence,
    Coverage,
    Disagreement,
    Entities,
    KeyPlayer,
    Perspective,
    Quote,
    SentenceRef,
    Statement,
    Summary,
)
from ..text.injection import injection_markers
from ..text.normalize import normalize
from ..text.sentences import sentence_spans
from .base import Context, Issue
from .outlets import OUTLET_FIELDS, SIDE_FIELDS
from .policy import POLICY
from .registry import checks_for
from .support import stance_supported

if TYPE_CHECKING:
    from ..schema.brief import StoryBrief

Mode = Literal["check", "repair", "verify"]
DROP = None


class Walker:
    """Runs the registered checks over one brief in one mode; ``issues`` holds everything found."""

    def __init__(self, ctx: Context, mode: Mode) -> None:
        self.ctx = ctx
        self.mode = mode
        self.issues: list[Issue] = []

    # ------------------------------------------------------------------ one item

    def inspect(self, kind: str, item: Any, where: str) -> list[tuple[Any, list[Issue]]]:
        """Run the checks of ``kind`` on ``item``; a stopping issue ends the list (not in strict mode)."""
        found: list[tuple[Any, list[Issue]]] = []
        for check in checks_for(kind):
            issues = check.check(item, where, self.ctx)
            found.append((check, issues))
            self.issues.extend(issues)
            if not self.ctx.strict and any(POLICY[i.code].stops for i in issues):
                break
        return found

    def visit(self, kind: str, item: Any, where: str) -> Any:
        """The item after its checks (repaired in repair mode), or DROP."""
        found = self.inspect(kind, item, where)
        if self.mode != "repair":
            return item
        fatal = [i for _, issues in found for i in issues if i.fatal]
        if fatal:
            for i in fatal:
                self.ctx.record(i, "dropped")
            return DROP
        for check, issues in found:
            item = check.repair(item, issues, where, self.ctx)
            if item is DROP:
                return DROP
        return item

    # ------------------------------------------------------------------ the brief

    def run(self, brief: StoryBrief) -> StoryBrief:
        title = self._title(brief.title)
        said: set[str] = set()
        summary = self._sentences("summary", list(brief.summary), said=said)
        if self.mode == "repair" and not summary:
            summary = [self._lead_fallback()]
            said.add(normalize(summary[0].text, casefold=True))  # a key point may not repeat it
        key_points = self._sentences("key_points", brief.key_points, "key_point", said)
        perspectives = [p for i, x in enumerate(brief.perspectives) if (p := self._perspective(i, x))]
        disagreements = [d for i, x in enumerate(brief.disagreements) if (d := self._disagreement(i, x))]
        timeline = [e for i, x in enumerate(brief.timeline) if (e := self.visit("event", x, f"timeline[{i}]"))]
        sources = [s for i, x in enumerate(brief.sources) if (s := self.visit("source", x, f"sources[{i}]"))]
        entities = self._entities(brief.entities)
        coverage = self._coverage(brief.coverage) if brief.coverage is not None else None
        location = [x for i, p in enumerate(brief.location) if (x := self.visit("place", p, f"location[{i}]"))]
        key_players = [k for i, x in enumerate(brief.key_players) if (k := self._player(i, x))]
        reactions = [r for i, x in enumerate(brief.reactions) if (r := self.visit("reaction", x, f"reactions[{i}]"))]
        whats_new = self._whats_new(brief.whats_new)
        topics = [t for i, x in enumerate(brief.topics) if (t := self.visit("topic", x, f"topics[{i}]")) is not DROP]
        if self.mode != "repair":
            return brief
        return brief.model_copy(update={
            "title": title, "summary": Summary(summary), "key_points": key_points,
            "perspectives": perspectives, "disagreements": disagreements, "timeline": timeline, "sources": sources,
            "entities": entities, "coverage": coverage, "location": location, "key_players": key_players,
            "whats_new": whats_new, "topics": topics, "reactions": reactions,
        })

    def _title(self, title: str) -> str:
        found = self.inspect("title", title, "title")
        fatal = [i for _, issues in found for i in issues if i.fatal]
        if self.mode != "repair":
            return title
        if not fatal:
            for check, issues in found:
                title = check.repair(title, issues, "title", self.ctx)
            return title
        # A title is never dropped: it falls back to an article's headline, one that passes the checks
        # whose issues say a stand-in must (policy: ``screens``).
        screens = [check for check, issues in found if any(i.fatal and POLICY[i.code].screens for i in issues)]
        for i in fatal:
            self.ctx.record(i, "repaired" if screens else "dropped")
        titles = [a.title for a in self.ctx.articles if a.title]
        if screens:
            return next((t for t in titles if not any(c.check(t, "title", self.ctx) for c in screens)), "Untitled story")
        return next(iter(titles), title)

    def _sentences(self, section: str, items: list[CitedSentence], kind: str = "sentence",
                   said: set[str] | None = None) -> list[CitedSentence]:
        """The items kept; ``said`` (folded texts of the sentences kept before, shared by the summary
        and the key points) makes a later copy of one of them a repeat."""
        said = set() if said is None else said
        return [kept for i, cs in enumerate(items)
                if (kept := self._sentence(cs, f"{section}[{i}]", kind, said)) is not DROP]

    def _sentence(self, cs: CitedSentence, where: str, kind: str, said: set[str]) -> CitedSentence | None:
        self.ctx.tally.add("sentences_checked")
        kept = self.visit(kind, cs, where)
        if kept is not DROP and self.mode == "repair":
            # A repair can restore the very source sentence coverage (or another repair) put in
            # already: checks see the item before its repair, so the repeat is caught here.
            folded = normalize(kept.text, casefold=True)
            if folded in said:
                self.ctx.note("repeated_sentence", where, "repeats an earlier sentence of the brief word for word",
                              "dropped")
                kept = DROP
            else:
                said.add(folded)
        if kept is DROP:
            self.ctx.tally.add("sentences_dropped")
        elif where in self.ctx.repaired:
            self.ctx.tally.add("sentences_repaired")
        return kept  # type: ignore[no-any-return]

    def _lead_fallback(self) -> CitedSentence:
        """No summary sentence survived: the top fact's source sentence stands in (with its renderings as
        evidence), else the lead sentence of the first original article."""
        for fact in self.ctx.evidence.facts[:1] if self.ctx.evidence is not None else []:
            top = fact_sentence(fact)
            if top is not None:
                self.ctx.note("summary_fallback", "summary", "no summary sentence was supported; "
                              "used the top fact's source sentence", "repaired")
                return top
        for art in self.ctx.articles:
            if art.duplicate_of:
                continue
            for s, e in sentence_spans(art.text):
                sentence = art.text[s:e]
                if len(sentence.split()) >= 8 and not injection_markers(sentence):
                    self.ctx.note("summary_fallback", "summary", "no summary sentence was supported; "
                                  f"used the lead sentence of article {art.id}", "repaired")
                    ref = SentenceRef(article_id=art.id, start=s, end=e, text=sentence)
                    return CitedSentence(text=re.sub(r"\s+", " ", sentence), sources=[art.id], evidence=[ref],
                                         origin="fact")
        art = self.ctx.articles[0]
        self.ctx.note("summary_fallback", "summary",
                      f"no summary sentence was supported; used the title of article {art.id}", "repaired")
        return CitedSentence(text=art.title or art.text[:200], sources=[art.id], origin="fact")

    def _quotes(self, base: str, given: list[Statement], field: str = "statements") -> list[Statement]:
        statements: list[Statement] = []
        for si, st in enumerate(given):
            renderings: list[Quote] = []
            for ri, q in enumerate(st.renderings):
                self.ctx.tally.add("quotes_checked")
                fixed = self.visit("quote", q, f"{base}.{field}[{si}].renderings[{ri}]")
                if fixed is DROP:
                    self.ctx.tally.add("quotes_dropped")
                elif not any((x.article_id, x.start, x.end) == (fixed.article_id, fixed.start, fixed.end)
                             for x in renderings):
                    renderings.append(fixed)
            if renderings:
                statements.append(Statement(speaker=st.speaker, renderings=renderings))
        return statements

    def _perspective(self, i: int, p: Perspective, section: str = "perspectives") -> Perspective | None:
        base = f"{section}[{i}]"
        if self.visit("actor", p, f"{base}.actor") is DROP:
            return None
        statements = self._quotes(base, p.statements)
        stance = self.visit("stance", p.stance, f"{base}.stance") or ""
        role = self.visit("role", p.role, f"{base}.role") or ""
        evidence = [r for k, x in enumerate(p.evidence)
                    if (r := self.visit("reference", x, f"{base}.evidence[{k}]")) is not DROP]
        sources = self.visit("sources", p.sources, f"{base}.sources")
        if self.mode != "repair":
            return p
        sources += [q.article_id for st in statements for q in st.renderings if q.article_id not in sources]
        if not statements and not evidence:
            # A stance must rest on something a source says: a quote or a reported-speech sentence.
            self.ctx.note("perspective_empty", base,
                          f"no quote or source sentence of {p.actor!r} survived the checks", "dropped")
            return None
        if stance and not stance_supported(stance, statements, evidence):
            # The stance is the model's reading of what the actor said: it must rest on those words.
            self.ctx.note("stance_unsupported", f"{base}.stance",
                          f"the stance of {p.actor!r} is not borne out by their quotes or reported speech", "dropped")
            stance = ""
        return Perspective(actor=p.actor, role=role, stance=stance, statements=statements, evidence=evidence,
                           sources=list(dict.fromkeys(sources)))

    def _whats_new(self, w: WhatsNew | None) -> WhatsNew | None:
        """The update's section: its sentences, figures' claims, actors and quotes, checked like the rest."""
        if w is None:
            return None
        summary = self._sentences("whats_new.summary", w.summary)
        facts = self._sentences("whats_new.facts", w.facts)
        figures = []
        for fi, f in enumerate(w.figures):
            added = [c for ci, x in enumerate(f.added)
                     if (c := self.visit("claim", x, f"whats_new.figures[{fi}].added[{ci}]")) is not DROP]
            if added:
                figures.append(f.model_copy(update={"added": added}))
        actors = [p for i, x in enumerate(w.actors) if (p := self._perspective(i, x, "whats_new.actors"))]
        quotes = self._quotes("whats_new", w.quotes, "quotes")
        if self.mode != "repair":
            return w
        return WhatsNew(articles=w.articles, summary=summary, facts=facts, figures=figures, actors=actors,
                        quotes=quotes)

    def _disagreement(self, di: int, d: Disagreement) -> Disagreement | None:
        claims = [c for ci, x in enumerate(d.claims)
                  if (c := self.visit("claim", x, f"disagreements[{di}].claims[{ci}]")) is not DROP]
        if self.mode != "repair":
            return d
        if len(claims) < 2:
            self.ctx.note("claims_too_few", f"disagreements[{di}]", "fewer than two claims survived", "dropped")
            return None
        return Disagreement(subject=d.subject, claims=claims)

    def _refs(self, item: Any, fields: tuple[str, ...], base: str) -> dict[str, list[SentenceRef]]:
        """Each listed field's source sentences that survive their checks."""
        return {f: [r for k, x in enumerate(getattr(item, f))
                    if (r := self.visit("reference", x, f"{base}.{f}[{k}]")) is not DROP] for f in fields}

    def _coverage(self, c: Coverage) -> Coverage:
        outlets = []
        for i, o in enumerate(c.outlets):
            base = f"coverage.outlets[{i}]"
            if (kept := self.visit("outlet", o, base)) is not DROP:
                outlets.append(kept.model_copy(update=self._refs(kept, OUTLET_FIELDS, base)))
        stances = []
        for i, side in enumerate(c.stances):
            base = f"coverage.stances[{i}]"
            articles = self.visit("sources", side.articles, f"{base}.articles")
            kept = self.visit("side", side.model_copy(update={"articles": articles}), base)
            if kept is DROP:
                continue
            summary = None if kept.summary is None else self._sentence(kept.summary, f"{base}.summary", "sentence", set())
            stances.append(kept.model_copy(update={**self._refs(kept, SIDE_FIELDS, base), "summary": summary}))
        return c if self.mode != "repair" else Coverage(outlets=outlets, stances=stances)

    def _player(self, i: int, p: KeyPlayer) -> KeyPlayer | None:
        where = f"key_players[{i}]"
        if self.visit("player", p, where) is DROP:
            return None
        role = self.visit("role", p.role, f"{where}.role") or ""
        sources = self.visit("sources", p.sources, f"{where}.sources")
        return p if self.mode != "repair" else p.model_copy(update={"role": role, "sources": sources})

    def _entities(self, e: Entities) -> Entities:
        kept = {
            kind: [x for ei, ent in enumerate(getattr(e, kind))
                   if (x := self.visit("entity", ent, f"entities.{kind}[{ei}]")) is not DROP]
            for kind in ("countries", "organizations", "persons")
        }
        return Entities(**kept)

