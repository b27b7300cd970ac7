"""Quoted spans of each article with the speaker named near them."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..text.lexicons import COUNTRIES, ORGS, SPEECH_VERBS, gazetteer_pattern
from ..text.sentences import quote_spans, words
from .index import ArticleIndex
from .model import MIN_QUOTE_WORDS, QuoteCandidate
from .persons import AUX

_PARTICIPLES = (
    r"stating|saying|adding|noting|writing|warning|insisting|arguing|declaring|explaining|"
    r"emphasi[sz]ing|stressing|telling\s+\w+|calling\s+(?:it|them|him|her|this|that)(?:\s+a|\s+an)?|"
    r"describing\s+(?:it|them|him|her|this|that)\s+as|referring\s+to\s+(?:it|them|him|her)\s+as|"
    r"labell?ing\s+(?:it|them)(?:\s+as)?|dismissing\s+(?:it|them)\s+as"
)
_NAMERUN = r"(?:(?:[A-Z][\w’'.\-]*|of|the|for)\s+){0,7}[A-Z][\w’'\-]*"
_AFTER_VERB_FIRST = re.compile(r"(?:" + SPEECH_VERBS + r")\s+(?P<who>" + _NAMERUN + r")")
_AFTER_FROM = re.compile(
    r"(?:" + SPEECH_VERBS + r")\s+(?:[a-z]+\s+){0,4}?(?:from|by)\s+(?P<who>" + _NAMERUN + r")"
)
_AFTER_NAME_FIRST = re.compile(
    r"(?P<who>" + _NAMERUN + r"|he|she|they)\s+" + AUX + r"(?:" + SPEECH_VERBS + r")\b"
)
_BEFORE_FINITE = re.compile(
    r"(?P<who>"
    + _NAMERUN
    + r"|[Hh]e|[Ss]he)\s+"
    + AUX
    + r"(?:"
    + SPEECH_VERBS
    + r")(?:\s+[a-z]+){0,3}\s*[,:]?\s*(?:that\s+)?$"
)
_BEFORE_VERB_END = re.compile(
    r"\b(?:" + SPEECH_VERBS + r")(?:\s+(?:at|to|in|on)?\s*[a-z]+){0,3}\s*[,:]\s*(?:that\s+)?$"
)
_BEFORE_PARTICIPLE = re.compile(r"(?:" + _PARTICIPLES + r")\s*[,:]?\s*(?:that\s+)?$")
_ACCORDING = re.compile(r"[Aa]ccording to (?P<who>" + _NAMERUN + r")")
_PRONOUN_FIRST = re.compile(r"\s*(?:[A-Z][\w’'\-]*\s+){0,2}?(?P<pron>[Hh]e|[Ss]he)\b")
_WORD_CHAR = re.compile(r"[^\s\W]")
LOOKBEHIND = 1000
"""Characters before a quote searched for its speaker: more than a news sentence holds."""


def _find_speaker(
    ix: ArticleIndex, o: int, c: int, prev_quote: tuple[int, int, str | None] | None
) -> str | None:
    text = ix.text
    s_start, s_end = ix.sentence_at(o)
    s_end = max(s_end, ix.sentence_at(c)[1])
    # 1. Attribution right after the closing mark: ', Putin said' / 'said Putin' / 'he added'.
    after = text[c + 1 : min(len(text), c + 200)].split("\n", 1)[0]
    after = re.sub(r"^[\s,.;:!?—–\-]*", "", after)
    for rx in (_AFTER_NAME_FIRST, _AFTER_VERB_FIRST, _AFTER_FROM):
        m = rx.match(after)
        if m and (who := ix.resolve(m.group("who"), o)):
            return who
    # 2. Before the opening mark, in the same sentence (after any earlier quote in it), read
    # within LOOKBEHIND characters: the many quotes of one endless "sentence" stay linear.
    floor = s_start
    if prev_quote and prev_quote[1] < o and prev_quote[1] >= s_start:
        floor = prev_quote[1] + 1
    near = max(floor, o - LOOKBEHIND)
    before = text[near:o]
    m = _BEFORE_FINITE.search(before)
    if m and (who := ix.resolve(m.group("who"), near + m.start())):
        return who
    verb_at_end = _BEFORE_VERB_END.search(before)
    if verb_at_end and prev_quote and prev_quote[2] and prev_quote[1] >= s_start and floor > s_start:
        return prev_quote[2]  # '“…,” he added, and said, “…”': the same speaker goes on
    if before.rstrip().endswith(":") or verb_at_end or _BEFORE_PARTICIPLE.search(before):
        p = ix.first_person_in(floor, o)
        if p:
            return p.name
        m = _PRONOUN_FIRST.match(text, floor, o)
        if m:
            return ix.resolve(m.group("pron"), floor)
        ents = [em for em in gazetteer_pattern(COUNTRIES).finditer(before)]
        ents += [em for em in gazetteer_pattern(ORGS).finditer(before)]
        if ents:
            first = min(ents, key=lambda em: em.start())
            return first.group()
    # 3. 'according to X' anywhere in the sentence (looked for once per sentence).
    m = ix.first_match(_ACCORDING, s_start, s_end)
    if m and (who := ix.resolve(m.group("who"), o)):
        return who
    # 4. A quote standing alone right after another quote continues the same speaker.
    if (
        prev_quote
        and prev_quote[2]
        and o - prev_quote[1] < 300
        and not _WORD_CHAR.search(text, s_start, o)
    ):
        return prev_quote[2]
    return None


def _candidates(ix: ArticleIndex) -> list[tuple[int, int, str, str | None, str]]:
    """``(start, end, text, speaker, context)`` of every quoted span in one article."""
    out = []
    prev: tuple[int, int, str | None] | None = None
    for o, c in quote_spans(ix.text):
        start, end = o + 1, c
        while start < end and ix.text[start].isspace():
            start += 1
        while end > start and (ix.text[end - 1].isspace() or ix.text[end - 1] == ","):
            end -= 1
        if end - start < 2 or not re.search(r"[^\W\d_]", ix.text[start:end]):
            continue
        speaker = _find_speaker(ix, o, c, prev)
        prev = (o, c, speaker)
        out.append((start, end, ix.text[start:end], speaker, ix.context(o, c + 1)))
    return out


def _norm_words(text: str) -> str:
    return " ".join(w.lower() for w in words(text))


def extract_quotes(indexes: Sequence[ArticleIndex]) -> tuple[list[QuoteCandidate], list[QuoteCandidate]]:
    real: list[tuple[str, tuple[int, int, str, str | None, str]]] = []
    frags: list[tuple[str, tuple[int, int, str, str | None, str]]] = []
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
        QuoteCandidate(i + 1, aid, t, s, e, who, ctx) for i, (aid, (s, e, t, who, ctx)) in enumerate(real)
    ]
    base = len(quotes)
    fragments = [
        QuoteCandidate(base + i + 1, aid, t, s, e, who, ctx, fragment=True)
        for i, (aid, (s, e, t, who, ctx)) in enumerate(frags)
    ]
    return quotes, fragments
