"""Disagreements: figures for the same thing that differ between sources, with each claimant."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from ..schema.article import Article
from ..schema.parts import Claim, Disagreement
from ..text.names import name_terms
from ..text.words import content_words
from .figures import unit_class
from .model import NumberMention

CLAIMANT_CUT = 5  # claimants' content words are cut to five letters ("Ukrainian"/"Ukraine" meet)


def _fmt_value(n: NumberMention) -> str:
    parts = [n.qualifier, n.raw, n.unit or ""]
    return " ".join(p for p in parts if p)


def find_disagreements(numbers: Sequence[NumberMention], articles: Sequence[Article]) -> list[Disagreement]:
    """Figures for the same thing (same unit class, shared names in context) that differ."""
    outlets = {a.id: (a.outlet or a.id) for a in articles}
    by_class: dict[str, list[NumberMention]] = defaultdict(list)
    for n in numbers:
        cls = unit_class(n.unit) if n.kind == "count" else None
        if cls and n.value >= 2:
            by_class[cls].append(n)
    out: list[Disagreement] = []
    for cls, mentions in by_class.items():
        # Link mentions whose sentences share a name ("North Korea").
        # Many figures share a sentence: its names are read once (a long sentence of figures
        # would otherwise be read once per figure).
        terms_of: dict[str, set[str]] = {}
        for n in mentions:
            if n.sentence not in terms_of:
                terms_of[n.sentence] = name_terms(n.sentence)
        for group in _linked_groups(mentions, [terms_of[n.sentence] for n in mentions]):
            values = {n.value for n in group}
            articles_in = {n.article_id for n in group}
            # Two distinct values and more than one article (or two claimants): a real difference,
            # not one article's own breakdown.
            claimants = {n.claimant for n in group if n.claimant}
            if len(values) < 2 or (len(articles_in) < 2 and len(claimants) < 2):
                continue
            claims: list[Claim] = []
            by_value: dict[float, list[NumberMention]] = defaultdict(list)
            for n in group:
                by_value[n.value].append(n)
            for value in sorted(values):
                ms = by_value[value]
                who: list[str] = []
                for n in ms:
                    name = n.claimant or f"{outlets[n.article_id]} (unattributed)"
                    if not any(_same_claimant(name, w) for w in who):
                        who.append(name)
                claims.append(
                    Claim(
                        value=_fmt_value(ms[0]),
                        claimant="; ".join(who),
                        sources=sorted({n.article_id for n in ms}, key=[a.id for a in articles].index),
                        evidence=ms[0].sentence,
                    )
                )
            modifier = _common_modifier(group)
            unit = Counter(n.unit for n in group).most_common(1)[0][0]
            subject = f"number of {modifier + ' ' if modifier else ''}{unit}"
            out.append(Disagreement(subject=subject, claims=claims))
    return out


def _linked_groups(items: Sequence[NumberMention], terms: Sequence[set[str]]) -> list[list[NumberMention]]:
    """Connected components of ``items``, two being linked when their term sets intersect.

    Each item is joined to the first item that had each of its terms: the same components as
    comparing every pair, in time linear in the terms."""
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with: dict[str, int] = {}
    for i, item_terms in enumerate(terms):
        for term in item_terms:
            j = first_with.setdefault(term, i)
            if root(i) != root(j):
                parent[root(i)] = root(j)
    groups: dict[int, list[NumberMention]] = defaultdict(list)
    for i, item in enumerate(items):
        groups[root(i)].append(item)
    return list(groups.values())


def _same_claimant(a: str, b: str) -> bool:
    ta, tb = content_words(a, cut=CLAIMANT_CUT), content_words(b, cut=CLAIMANT_CUT)
    return bool(ta and tb) and len(ta & tb) / min(len(ta), len(tb)) >= 0.6


_MODIFIER = re.compile(r"\s+((?:[A-Z][\w’'\-]*\s+){1,3})")  # "3,000 North Korean troops"


def _common_modifier(group: Sequence[NumberMention]) -> str:
    mods: Counter[str] = Counter()
    found: dict[tuple[str, str], str | None] = {}  # figures repeat within a sentence: look each up once
    for n in group:
        key = (n.sentence, n.raw)
        if key not in found:
            at = n.sentence.find(n.raw)
            m = _MODIFIER.match(n.sentence, at + len(n.raw)) if at >= 0 else None
            found[key] = m.group(1).strip() if m else None
        modifier = found[key]
        if modifier:
            mods[modifier] += 1
    return mods.most_common(1)[0][0] if mods else ""
