"""From the model's draft to a StoryBrief: content policy and clean-up of model text.

Quotes come from the evidence, never from the model: a perspective gets every statement the
evidence found its actor saying. Disputed figures the summary does not state get an
attributed sentence of their own, so the summary never picks one side silently.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..schema import Article, CitedSentence, Disagreement, Perspective, Source, StoryBrief, Summary
from ..text.names import name_tokens, names_match
from ..text.numbers import figures
from .prepare import Prepared

MIN_SENTENCE_WORDS = 4  # "President Putin in article 1" says nothing
MAX_STATEMENTS_PER_ACTOR = 3

# Prompt scaffolding a small model sometimes copies into its answer.
_SCAFFOLDING = re.compile(r"\s*[\[(]\s*(?:articles?|sources?|Q)\s*\d+(?:\s*(?:,|and)\s*\d+)*\s*[\])]"
                          r"|\s+\b(?:in|from|according to) articles? \d+(?:\s*(?:,|and)\s*\d+)*\b", re.IGNORECASE)
_SPACED_INITIALS = re.compile(r"\b([A-Z])\. (?=[A-Z]\.)")  # "U. S." -> "U.S." (a small-model tokenizer quirk)


def clean_model_text(text: str) -> str:
    return " ".join(_SPACED_INITIALS.sub(r"\1.", _SCAFFOLDING.sub("", text)).split())


def _values(text: str) -> set[float]:
    return {v for _, vals in figures(text) for v in vals}


def mentions_claims(summary: Sequence[CitedSentence], d: Disagreement) -> bool:
    """True when the summary already states at least two of the disputed figures."""
    said = set().union(*(_values(s.text) for s in summary)) if summary else set()
    return sum(1 for c in d.claims if _values(c.value) & said) >= 2


def disagreement_sentence(d: Disagreement) -> CitedSentence:
    """One attributed sentence listing each side's figure."""
    parts = [f"{c.value} according to {' and '.join(x.strip() for x in c.claimant.split(';'))}" for c in d.claims]
    sources = list(dict.fromkeys(s for c in d.claims for s in c.sources))
    return CitedSentence(text=f"Sources differ on the {d.subject}: {'; '.join(parts)}.", sources=sources)


def _same_actor(a: str | None, b: str | None) -> bool:
    return bool(a and b) and names_match(a, b)  # type: ignore[arg-type]


def _mentions(article: Article, actor: str) -> bool:
    """The article names the actor (by their last significant name token, e.g. a surname)."""
    tokens = name_tokens(actor)
    return bool(tokens) and re.search(rf"\b{re.escape(tokens[-1])}\b", article.text, re.IGNORECASE) is not None


def _cited(sentences: Sequence[Any], ids: dict[int, str]) -> list[CitedSentence]:
    out: list[CitedSentence] = []
    for s in sentences:
        text = clean_model_text(s.text)
        if len(text.split()) >= MIN_SENTENCE_WORDS and all(text != o.text for o in out):
            out.append(CitedSentence(text=text, sources=list(dict.fromkeys(ids[n] for n in s.sources))))
    return out


def _perspectives(prep: Prepared, draft: Any) -> list[Perspective]:
    out: list[Perspective] = []
    for p in draft.perspectives:
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
        out.append(Perspective(actor=actor, role=clean_model_text(p.role), stance=clean_model_text(p.stance),
                               statements=statements, sources=sources))
    return out


def assemble(prep: Prepared, draft: Any) -> StoryBrief:
    """The brief a draft describes, before the truth layer checks it."""
    ids = {n: a for a, n in prep.numbers.items()}
    summary = _cited(draft.summary, ids)
    for d in prep.evidence.disagreements:
        if not mentions_claims(summary, d):
            summary.append(disagreement_sentence(d))
    return StoryBrief(
        title=" ".join(draft.title.split()),
        summary=Summary(summary),
        key_points=_cited(draft.key_points, ids),
        perspectives=_perspectives(prep, draft),
        disagreements=list(prep.evidence.disagreements),
        sources=[Source.from_article(a) for a in prep.all_articles],
        entities=prep.evidence.entities,
        topics=list(dict.fromkeys(t.strip() for t in draft.topics if t.strip())),
    )
