"""Quotes: every rendering verbatim in the article it cites, with its speaker named nearby.

:func:`verify_quote` snaps a near-verbatim quote to the exact source span (quote marks,
dashes and spacing normalised), re-cites it to the article that has it, or cuts it to its
longest verbatim run; :func:`speaker_supported` checks who says it. :class:`QuoteCheck` is the
check the walker runs on every rendering.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from ..schema.article import Article
from ..schema.parts import Quote
from ..text.lexicons import COUNTRIES, EAST_ASIAN_FAMILY, NOT_NAME, demonyms, gazetteer
from ..text.names import name_tokens, names_match
from ..text.normalize import folded, norm_map, normalize
from ..text.words import PIECE, pieces
from .base import Context, Issue

if TYPE_CHECKING:
    from ..evidence import Evidence

SPEAKER_WINDOW = 300  # characters either side of a quote in which its speaker must be named
STRICT_SPEAKER_WINDOW = 2 * SPEAKER_WINDOW  # without evidence, "he added" needs a wider look
MIN_TRIMMED_WORDS = 5  # a cut quote is kept only if this many consecutive words are verbatim


def _clean_quote_text(text: str) -> str:
    # Models wrap quotes in quote marks and keep the attribution comma; neither is the quote.
    t = text.strip().strip("\"“”„«»'‘’ ").strip()
    return re.sub(r"[,;:]+$", "", t).strip()


@dataclass(frozen=True)
class QuoteResult:
    """The outcome of checking one quote against the articles."""

    status: str  # ok, snapped, recited, trimmed or fabricated
    quote: Quote  # the repaired quote (the original when fabricated)
    detail: str = ""


def find_normalized(needle: str, article: Article, near: int | None) -> tuple[int, int] | None:
    """(start, end) in ``article`` of ``needle`` compared normalized and case-folded (quote marks, dashes,
    spacing), nearest ``near`` when it occurs more than once; None when it does not occur."""
    norm_needle = normalize(needle, casefold=True)
    if not norm_needle:
        return None
    hay, idx = folded(article.text)
    hits = [m.start() for m in re.finditer(re.escape(norm_needle), hay)]
    if not hits:
        return None
    pos = min(hits, key=lambda h: abs(idx[h] - near)) if near is not None else hits[0]
    return idx[pos], idx[pos + len(norm_needle) - 1] + 1


def _word_spans(text: str) -> list[tuple[str, int, int]]:
    hay, idx = folded(text) if len(text) > 200 else norm_map(text, True)
    return [(m.group(), idx[m.start()], idx[m.end() - 1] + 1) for m in PIECE.finditer(hay)]


def _longest_run(quote: str, article: Article) -> tuple[int, int, int] | None:
    """Longest run of consecutive quote words that also appear consecutively in the article."""
    qw = [w for w, _, _ in _word_spans(quote)]
    aw = _word_spans(article.text)
    positions: dict[str, list[int]] = {}
    for i, (w, _, _) in enumerate(aw):
        positions.setdefault(w, []).append(i)
    best = (0, 0, 0)
    for qi in range(len(qw)):
        for ai in positions.get(qw[qi], ()):
            n = 0
            while qi + n < len(qw) and ai + n < len(aw) and qw[qi + n] == aw[ai + n][0]:
                n += 1
            if n > best[0]:
                best = (n, aw[ai][1], aw[ai + n - 1][2])
    return best if best[0] else None


def verify_quote(quote: Quote, articles: Sequence[Article]) -> QuoteResult:
    """Check ``quote`` against its cited article (then the others) and snap it to the source."""
    by_id = {a.id: a for a in articles}
    cited = by_id.get(quote.article_id)
    others = [a for a in articles if a.id != quote.article_id]

    def fixed(article: Article, start: int, end: int) -> Quote:
        return quote.model_copy(
            update={"text": article.text[start:end], "article_id": article.id, "start": start, "end": end}
        )

    if cited is not None:
        if (
            quote.start is not None
            and quote.end is not None
            and cited.text[quote.start : quote.end] == quote.text
        ):
            return QuoteResult("ok", quote)
        if quote.text and quote.text in cited.text:
            hits = [m.start() for m in re.finditer(re.escape(quote.text), cited.text)]
            start = min(hits, key=lambda h: abs(h - (quote.start or 0)))
            return QuoteResult("ok", fixed(cited, start, start + len(quote.text)))
    text = _clean_quote_text(quote.text)
    variants = [text] + ([text[:-1].rstrip()] if text[-1:] in ".!?" else [])
    for variant in variants:
        if cited is not None and (span := find_normalized(variant, cited, quote.start)):
            return QuoteResult(
                "snapped", fixed(cited, *span), "matched after normalising quote marks, dashes and spaces"
            )
    for variant in variants:
        for art in others:
            if span := find_normalized(variant, art, None):
                return QuoteResult(
                    "recited", fixed(art, *span), f"found in article {art.id}, not {quote.article_id}"
                )
    n_words = len(pieces(text))
    need = max(MIN_TRIMMED_WORDS, int(0.4 * n_words + 0.999))
    for art in ([cited] if cited is not None else []) + others:
        run = _longest_run(text, art)
        if run and run[0] >= need:
            where = "" if art is cited else f" (in article {art.id})"
            return QuoteResult(
                "trimmed", fixed(art, run[1], run[2]), f"cut to its {run[0]} verbatim words{where}"
            )
    return QuoteResult("fabricated", quote, f"not found in article {quote.article_id} or any other article")


def _speaker_keys(speaker: str) -> list[str]:
    toks = [t for t in name_tokens(speaker) if t[:1].isupper() and t.lower() not in NOT_NAME]
    keys = [speaker.strip()]
    if toks:
        keys.append(toks[-1])
        if toks[0] in EAST_ASIAN_FAMILY:
            keys.append(toks[0])
        country = demonyms().get(toks[-1]) or gazetteer(COUNTRIES).get(toks[-1])
        if country:
            keys.append(country)
            keys.extend(d for d, c in demonyms().items() if c == country)
    return [k for k in keys if len(k) > 1]


def speaker_supported(
    quote: Quote, article: Article, *, window: int = SPEAKER_WINDOW, evidence: Evidence | None = None
) -> bool:
    """Whether ``quote.speaker`` is named in ``article`` within ``window`` characters of the quote.

    With ``evidence``, the speaker found by :mod:`summarizer.evidence` for the same span is
    decisive (it resolves "he added" and also rejects a nearby but wrong name).
    """
    if not quote.speaker.strip():
        return False
    start, end = quote.start, quote.end
    if start is None or end is None or article.text[start:end] != quote.text:
        pos = article.text.find(quote.text)
        if pos < 0:
            return False
        start, end = pos, pos + len(quote.text)
    if evidence is not None:
        for cand in evidence.quotes + evidence.fragments:
            if cand.article_id == article.id and cand.speaker and cand.start <= start and end <= cand.end:
                return names_match(cand.speaker, quote.speaker)
    region = article.text[max(0, start - window) : start] + " \n " + article.text[end : end + window]
    return any(
        re.search(r"(?<![\w’'])" + re.escape(k) + r"(?![\w])", region) for k in _speaker_keys(quote.speaker)
    )


def _verbatim(quote: Quote, article: Article | None) -> bool:
    if article is None:
        return False
    if quote.start is not None and quote.end is not None:
        return article.text[quote.start : quote.end] == quote.text
    return bool(quote.text) and quote.text in article.text


class QuoteCheck:
    """A rendering must be verbatim in its article (repairable by snapping) and its speaker named nearby.

    The speaker test uses the evidence when there is some (it resolves "he added" and rejects a
    nearby but wrong name) and always the wider plain window, which is what strict verification
    can check without evidence, so a repaired brief always verifies.
    """

    kinds: ClassVar[tuple[str, ...]] = ("quote",)
    order: ClassVar[int] = 10

    def check(self, item: Quote, where: str, ctx: Context) -> list[Issue]:
        if ctx.strict:
            return self._strict(item, where, ctx)
        result = verify_quote(item, ctx.articles)
        if result.status == "fabricated":
            return [Issue("quote_fabricated", where, f"the quote {item.text[:80]!r} is {result.detail}")]
        issues = []
        if result.status != "ok":
            issues.append(Issue("quote_repaired", where, f"{result.status}: {result.detail}", fix=result.quote))
        fixed = result.quote
        art = ctx.by_id[fixed.article_id]
        if not (
            speaker_supported(fixed, art, evidence=ctx.evidence)
            and speaker_supported(fixed, art, window=STRICT_SPEAKER_WINDOW)
        ):
            detail = f"{fixed.speaker!r} is not named near the quote in article {fixed.article_id}"
            issues.append(Issue("quote_speaker", where, detail))
        if not issues and fixed != item:
            # Verbatim, but the offsets pointed elsewhere: corrected silently (nothing about it was wrong to a reader).
            issues.append(Issue("quote_offsets", where, f"offsets moved to the span in article {fixed.article_id}", fix=fixed))
        return issues

    def _strict(self, item: Quote, where: str, ctx: Context) -> list[Issue]:
        art = ctx.by_id.get(item.article_id)
        if art is None:
            return [Issue("citation_dangling", where, f"cites article {item.article_id!r}, which is not in the cluster")]
        if not _verbatim(item, art):
            return [Issue("quote_fabricated", where, f"quote {item.text[:60]!r} is not verbatim in article {item.article_id}")]
        if not speaker_supported(item, art, window=STRICT_SPEAKER_WINDOW):
            detail = f"speaker {item.speaker!r} is not named near the quote in article {item.article_id}"
            return [Issue("quote_speaker", where, detail)]
        return []

    def repair(self, item: Quote, issues: list[Issue], where: str, ctx: Context) -> Any:
        fixed = next((i.fix for i in issues if i.fix is not None), item)
        for i in issues:
            if i.code == "quote_repaired":
                ctx.record(i, "repaired")
                ctx.tally.add("quotes_repaired")
        return fixed


CHECKS = [QuoteCheck()]
