"""Sentence-level support: a sentence that cites source sentences must rest on them.

Its names and numbers must occur in the source sentences it cites, and most of its content
words must come from them. A sentence that fails is re-pointed to the facts that do support it,
or replaced by the source sentence it is closest to, or dropped; the report says which. Every
cited source sentence must also be an exact span of its article.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from ..evidence.facts import Fact
from ..schema.article import Article
from ..schema.draft import DRAFT_SENTENCE_CHARS
from ..schema.parts import CitedSentence, SentenceRef, Statement
from ..text.words import content_stems, words
from .base import Context, Issue, NoRepair
from .contradiction import RULES, contradictions
from .facts import sentence_facts
from .provenance import vocabulary

MIN_SUPPORT = 0.5  # share of the sentence's content words found in the source sentences it cites


def verbatim(ref: SentenceRef, ctx: Context) -> bool:
    art = ctx.by_id.get(ref.article_id)
    return art is not None and art.text[ref.start : ref.end] == ref.text


def support(text: str, refs: Sequence[SentenceRef]) -> tuple[list[str], float]:
    """What of ``text`` the sentences ``refs`` do not hold: (missing names and numbers, content share)."""
    pseudo = Article(id="evidence", text="\n".join(r.text for r in refs))
    facts = sentence_facts(text, [pseudo], [pseudo])
    words = content_stems(text)
    vocab = vocabulary(pseudo.text)
    share = sum(w in vocab for w in words) / len(words) if words else 1.0
    return facts.missing_numbers + facts.missing_names, share


def _supported(text: str, refs: Sequence[SentenceRef]) -> bool:
    missing, share = support(text, refs)
    return not missing and share >= MIN_SUPPORT


def stance_supported(stance: str, statements: Sequence[Statement], evidence: Sequence[SentenceRef]) -> bool:
    """A perspective's stance against what its actor is quoted or reported as saying.

    The stance paraphrases, so it is held to the sentence rule (names and numbers present, half of
    its content words found) over the quotes' source sentences and the reported-speech sentences.
    """
    refs = list(evidence) + [
        SentenceRef(article_id=q.article_id, start=q.start or 0, end=q.end or 0, text=q.text)
        for st in statements for q in st.renderings
    ]
    return bool(refs) and _supported(stance, refs)


class EvidenceCheck:
    """A sentence against the source sentences it cites."""

    kinds: ClassVar[tuple[str, ...]] = ("sentence",)
    order: ClassVar[int] = 44

    def check(self, item: CitedSentence, where: str, ctx: Context) -> list[Issue]:
        if not item.evidence:
            return []
        issues = [
            Issue("evidence_not_verbatim", where, f"source sentence {r.text[:60]!r} is not verbatim in article {r.article_id}")
            for r in item.evidence if not verbatim(r, ctx)
        ]
        refs = [r for r in item.evidence if verbatim(r, ctx)]
        missing, share = support(item.text, refs)
        if missing or share < MIN_SUPPORT:
            said = f"{', '.join(map(repr, missing))} not in them" if missing else f"only {share:.0%} of its words in them"
            issues.append(Issue("evidence_unsupported", where, f"the source sentences it cites do not support it ({said})"))
        return issues

    def repair(self, item: CitedSentence, issues: list[Issue], where: str, ctx: Context) -> CitedSentence | None:
        refs = [r for r in item.evidence if verbatim(r, ctx)]
        for i in issues:
            if i.code == "evidence_not_verbatim":
                ctx.record(i, "repaired")
        if not any(i.code == "evidence_unsupported" for i in issues):
            return item.model_copy(update={"evidence": refs}) if len(refs) != len(item.evidence) else item
        ctx.mark_repaired(where)
        # A sentence that reverses what it cites is not re-pointed: a swapped name or figure finds some
        # other fact that holds it, and two facts together hold the words of almost any mix of them.
        better = None if _contradicts(item.text, refs, ctx.by_id, REVERSALS) else self._repoint(item.text, ctx)
        if better is not None:
            ctx.note("citation_repaired", where, "re-pointed to the source sentences of "
                     + ", ".join(dict.fromkeys(r.article_id for r in better)) + ", which support it", "repaired")
            return item.model_copy(update={"evidence": better, "sources": _articles(better)})
        closest = self._closest(item.text, refs)
        if closest is None:
            ctx.note("evidence_unsupported", where, "no cited source sentence supports it", "dropped")
            return None
        renderings = self._renderings(closest, ctx)
        ctx.note("citation_repaired", where, f"replaced by the source sentence of article {closest.article_id}, "
                 "which it paraphrased without support", "repaired")
        return CitedSentence(text=" ".join(closest.text.split()), sources=_articles(renderings), evidence=renderings,
                              origin="fact")

    @staticmethod
    def _repoint(text: str, ctx: Context) -> list[SentenceRef] | None:
        """The source sentences of the facts (one, or two together) that support the text, if any do."""
        facts = supporting_facts(text, ctx.evidence.facts if ctx.evidence is not None else [], ctx.by_id)
        return [s.ref() for f in facts for s in f.sentences] if facts else None

    @staticmethod
    def _closest(text: str, refs: Sequence[SentenceRef]) -> SentenceRef | None:
        return max(refs, key=lambda r: support(text, [r])[1], default=None)

    @staticmethod
    def _renderings(ref: SentenceRef, ctx: Context) -> list[SentenceRef]:
        """The chosen sentence, with the other outlets' renderings of the same fact."""
        for f in ctx.evidence.facts if ctx.evidence is not None else []:
            if any((s.article_id, s.start) == (ref.article_id, ref.start) for s in f.sentences):
                return [ref] + [s.ref() for s in f.sentences if (s.article_id, s.start) != (ref.article_id, ref.start)]
        return [ref]


_ENDED = re.compile(r"[.!?…\"”’')\]]\s*$")


def cut_off(text: str, sources: Sequence[str]) -> bool:
    """A sentence that stops short of its end: no closing punctuation, and it stops at the draft's
    length bound, in the middle of a word of the text it copies ("School of Public Hea"), or where
    that text goes on ("... forced to confront unusually" + " large numbers")."""
    if _ENDED.search(text):
        return False
    if len(text) >= DRAFT_SENTENCE_CHARS - 2:
        return True
    ours = [w.lower() for w in words(text)]
    if not ours:
        return False
    stub, tail = ours[-1], ours[-3:]
    for source in sources:
        theirs = [w.lower() for w in words(source)]
        if stub not in theirs and any(w.startswith(stub) for w in theirs):
            return True
        for k in range(len(theirs) - len(tail)):  # the tail, with more words after it
            if theirs[k : k + len(tail)] == tail:
                return True
    return False


class CutOffCheck:
    """A sentence cut off in mid-copy (the model ran into its length bound): the source sentence it
    was copying takes its place, or it is dropped. A cut name ("Harvard's T.H. Chan School of
    Public Hea") names no one in the articles."""

    kinds: ClassVar[tuple[str, ...]] = ("sentence",)
    order: ClassVar[int] = 43  # before the evidence check, which would judge the stub's words

    def check(self, item: CitedSentence, where: str, ctx: Context) -> list[Issue]:
        copied = [r.text for r in item.evidence] + [ctx.by_id[a].text for a in item.sources if a in ctx.by_id]
        if not cut_off(item.text, copied):
            return []
        return [Issue("sentence_cut_off", where, "stops in the middle of what it copies from its source sentence")]

    def repair(self, item: CitedSentence, issues: list[Issue], where: str, ctx: Context) -> CitedSentence | None:
        if not issues:
            return item
        refs = [r for r in item.evidence if verbatim(r, ctx)]
        closest = EvidenceCheck._closest(item.text, refs)
        if closest is None or support(item.text, [closest])[1] < MIN_SUPPORT:
            ctx.record(issues[0], "dropped")
            return None
        ctx.record(issues[0], "repaired")
        ctx.mark_repaired(where)
        renderings = EvidenceCheck._renderings(closest, ctx)
        return CitedSentence(text=" ".join(closest.text.split()), sources=_articles(renderings), evidence=renderings,
                              origin="fact")


def supporting_facts(text: str, facts: Sequence[Fact], by_id: Mapping[str, Article]) -> list[Fact]:
    """The fact, or two facts together, whose source sentences support ``text`` and which it does not
    contradict (``[]`` when none do): how a sentence is cited when it was written without citations
    (the model's prose), or re-pointed when the ones it gave do not hold it. ``by_id`` maps article
    ids to articles (a date may come from an article's dateline). Six candidates at most, ranked by
    the share of ``text``'s content words they hold: linear in the number of facts. A text that
    contradicts the fact holding most of its words gets none: two facts together hold the words of
    almost any mix of them ("did not grant" beside one fact's "granted" and another's "court")."""
    held = {id(f): support(text, [s.ref() for s in f.sentences]) for f in facts}  # once per fact
    scored = sorted(facts, key=lambda f: -held[id(f)][1])[:6]
    if scored and _contradicts(text, [s.ref() for s in scored[0].sentences], by_id, REVERSALS):
        return []  # it reverses the fact it copies most from: no mix of others may bear it out
    # A sentence that fuses two facts is cited to both: a pair replaces the best single fact when it
    # holds clearly more of the sentence's words (PAIR_GAIN), since half of a fused sentence's words
    # come from its larger fact alone and that fact's renderings need not hold the rest.
    best: list[Fact] = []
    best_share = 0.0
    for group in [[f] for f in scored] + [[f, g] for i, f in enumerate(scored) for g in scored[i + 1 :]]:
        if best and min(1.0, sum(held[id(f)][1] for f in group)) < best_share + PAIR_GAIN:
            continue  # a group holds at most what its facts hold between them: it cannot gain enough
        refs = [s.ref() for f in group for s in f.sentences]
        missing, share = held[id(group[0])] if len(group) == 1 else support(text, refs)
        if missing or share < MIN_SUPPORT or (best and share < best_share + PAIR_GAIN):
            continue
        if not _contradicts(text, refs, by_id):
            best, best_share = group, share
            if share >= 1.0:
                break  # every word held: nothing can do better
    return best


PAIR_GAIN = 0.1  # share of a sentence's content words a second fact must add to be cited too


# The rules that find a reversal, not material the source lacks (a name, figure or date that another
# fact may supply): what a sentence may not do to the fact it copies most from.
REVERSALS = ("negation", "antonym", "role", "substitution")


def _contradicts(text: str, refs: Sequence[SentenceRef], by_id: Mapping[str, Article],
                 rules: Sequence[str] = RULES) -> bool:
    """Whether ``text`` says the opposite of ``refs`` (the rules of :mod:`~summarizer.truth.contradiction`)."""
    articles = [by_id[a].text for a in dict.fromkeys(r.article_id for r in refs) if a in by_id]
    return bool(refs) and bool(contradictions(text, [r.text for r in refs], articles, rules))


def _articles(refs: Sequence[SentenceRef]) -> list[str]:
    return list(dict.fromkeys(r.article_id for r in refs))


class ReferenceCheck(NoRepair):
    """A perspective's reported-speech sentence must be an exact span of its article."""

    kinds: ClassVar[tuple[str, ...]] = ("reference",)
    order: ClassVar[int] = 10

    def check(self, item: Any, where: str, ctx: Context) -> list[Issue]:
        if verbatim(item, ctx):
            return []
        detail = f"source sentence {item.text[:60]!r} is not verbatim in article {item.article_id}"
        return [Issue("reference_not_verbatim", where, detail)]


CHECKS = [CutOffCheck(), EvidenceCheck(), ReferenceCheck()]
