"""Quoted spans of each article, each with the speaker its attribution names (:mod:`.attribution`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..schema.parts import SentenceRef
from ..text.sentences import quote_spans
from ..text.words import words
from .attribution import Attributor
from .index import ArticleIndex
from .model import MIN_QUOTE_WORDS, QuoteCandidate

Candidate = tuple[int, int, str, str | None, str, SentenceRef | None]  # start, end, text, speaker, context, cue


def _candidates(ix: ArticleIndex) -> list[Candidate]:
    """``(start, end, text, speaker, context, cue)`` of every quoted span in one article."""
    out: list[Candidate] = []
    spans = quote_spans(ix.text)
    reader = Attributor(ix, spans)
    for o, c in spans:
        start, end = o + 1, c
        while start < end and ix.text[start].isspace():
            start += 1
        while end > start and (ix.text[end - 1].isspace() or ix.text[end - 1] == ","):
            end -= 1
        if end - start < 2 or not re.search(r"[^\W\d_]", ix.text[start:end]):
            continue
        cue = reader.speaker_of(o, c, len(words(ix.text[start:end])))
        ref = None if cue is None else SentenceRef(
            article_id=ix.article.id, start=cue.start, end=cue.end, text=ix.text[cue.start : cue.end]
        )
        out.append((start, end, ix.text[start:end], None if cue is None else cue.speaker, ix.context(o, c + 1), ref))
    return out


def _norm_words(text: str) -> str:
    return " ".join(w.lower() for w in words(text))


def _holds(longer: str, shorter: str) -> bool:
    """Whether the normalised words ``shorter`` run inside ``longer``."""
    return f" {shorter} " in f" {longer} "


def _distinct(cands: list[Candidate]) -> list[Candidate]:
    """One article's quotes less those that add nothing: a repeat (headline + caption) keeps its first
    copy with a speaker, or its first; a quote inside a longer one goes only when it has no speaker or
    the longer one's, so a speaker is never lost to an unattributed banner or headline."""
    norms = [_norm_words(c[2]) for c in cands]
    first: dict[str, int] = {}
    for i, n in enumerate(norms):
        k = first.get(n)
        if k is None or (cands[k][3] is None and cands[i][3] is not None):
            first[n] = i
    # Word -> the quotes that hold it: a quote is looked for only in those holding its rarest word,
    # not in every quote of the article.
    holders: dict[str, list[int]] = {}
    for j, n in enumerate(norms):
        for w in set(n.split()):
            holders.setdefault(w, []).append(j)
    out = []
    for i, (n, cand) in enumerate(zip(norms, cands)):
        if first[n] != i:
            continue
        pool = min((holders[w] for w in set(n.split())), key=len, default=[])
        if any(norms[j] != n and _holds(norms[j], n) and cand[3] in (cands[j][3], None) for j in pool):
            continue
        out.append(cand)
    return out


def extract_quotes(indexes: Sequence[ArticleIndex]) -> tuple[list[QuoteCandidate], list[QuoteCandidate]]:
    real: list[tuple[str, Candidate]] = []
    frags: list[tuple[str, Candidate]] = []
    for ix in indexes:
        cands = _candidates(ix)
        for cand in _distinct(cands):
            (real if len(words(cand[2])) >= MIN_QUOTE_WORDS else frags).append((ix.article.id, cand))
    quotes = [
        QuoteCandidate(i + 1, aid, t, s, e, who, ctx, cue=cue) for i, (aid, (s, e, t, who, ctx, cue)) in enumerate(real)
    ]
    base = len(quotes)
    fragments = [
        QuoteCandidate(base + i + 1, aid, t, s, e, who, ctx, fragment=True, cue=cue)
        for i, (aid, (s, e, t, who, ctx, cue)) in enumerate(frags)
    ]
    return quotes, fragments
