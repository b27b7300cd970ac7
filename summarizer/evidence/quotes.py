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


def extract_quotes(indexes: Sequence[ArticleIndex]) -> tuple[list[QuoteCandidate], list[QuoteCandidate]]:
    real: list[tuple[str, Candidate]] = []
    frags: list[tuple[str, Candidate]] = []
    for ix in indexes:
        cands = _candidates(ix)
        norms = [_norm_words(c[2]) for c in cands]
        seen: set[str] = set()
        for i, cand in enumerate(cands):
            n = norms[i]
            # Within one article, repeats (headline + caption) and quotes contained in a longer
            # quote of the same speaker add nothing: keep the first, longest form.
            if n in seen or any(
                j != i and n != norms[j] and f" {n} " in f" {norms[j]} " and cands[j][3] in (cand[3], None)
                for j in range(len(cands))
            ):
                continue
            seen.add(n)
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
