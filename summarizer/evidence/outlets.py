"""How each outlet told the story: headline angle, leads, exclusives; the same by stance, with blindspots.

Everything here is read off the fact groups of :mod:`summarizer.evidence.facts`; nothing is written:

* an outlet's **angle** is its own sentence that its headline matches best (TF-IDF cosine, the
  weighting that groups facts), since a headline is the outlet's own summary of its story;
* its **leads** are its first usable sentences (news leads with what the outlet thinks matters);
* **only here** are the fact groups no other original article reports, best scored first;
* by **stance** (``Article.stance``), what a side's headlines and leads stress most often, and the
  fact groups whose every source has that stance while the cluster has several stances: what
  the other sides leave out (their blindspot).

Each item is the outlet's own sentence as a :class:`~summarizer.schema.SentenceRef`; the one
sentence per side in the brief's voice is the side's most stressed fact in a neutral rendering
of that side's own wording, so the truth layer can check it like any summary sentence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..schema.article import Article
from ..schema.parts import CitedSentence, Coverage, OutletCoverage, SentenceRef, StanceCoverage
from .facts import Fact, Sentence, neutral_rendering, similarity_matrix

MAX_LEADS = 2
MAX_ANGLE = 2
ANGLE_MIN_SIMILARITY = 0.1  # below this a headline shares no content word of weight with the sentence
ANGLE_CLOSE = 0.8  # a second sentence this close to the best match also states the headline's angle
MAX_ONLY_HERE = 3
MAX_EMPHASIS = 3
MAX_ONLY_SIDE = 3
STANCE_ORDER = ("left", "lean left", "center", "lean right", "right")


def stance_of(article: Article) -> str | None:
    """The article's stance label, normalised ("Left" -> "left"); None when it has none."""
    label = " ".join((article.stance or "").split()).casefold()
    return label or None


def _by_article(facts: Sequence[Fact]) -> tuple[dict[str, list[Sentence]], dict[str, Fact]]:
    """Each article's grouped sentences in text order, and each sentence's fact."""
    sentences: dict[str, list[Sentence]] = {}
    fact_of: dict[str, Fact] = {}
    for f in facts:
        for s in f.sentences:
            sentences.setdefault(s.article_id, []).append(s)
            fact_of[s.id] = f
    for found in sentences.values():
        found.sort(key=lambda s: s.index)
    return sentences, fact_of


def lead_sentences(facts: Sequence[Fact], article_id: str, k: int = MAX_LEADS) -> list[Sentence]:
    """The first ``k`` sentences of an article that belong to a fact group."""
    return _by_article(facts)[0].get(article_id, [])[:k]


def _angles(articles: Sequence[Article], sentences: dict[str, list[Sentence]]) -> dict[str, list[Sentence]]:
    """For each article with a headline, its own sentences that the headline matches best."""
    titled = [a for a in articles if a.title.strip() and sentences.get(a.id)]
    if not titled:
        return {}
    pool = [s for a in titled for s in sentences[a.id]]
    sim = similarity_matrix([s.text for s in pool] + [a.title for a in titled])
    row = {s.id: i for i, s in enumerate(pool)}
    out: dict[str, list[Sentence]] = {}
    for t, art in enumerate(titled, start=len(pool)):
        ranked = sorted(sentences[art.id], key=lambda s: (-sim[row[s.id], t], s.index))
        best = sim[row[ranked[0].id], t]
        if best < ANGLE_MIN_SIMILARITY:
            continue
        out[art.id] = [s for s in ranked[:MAX_ANGLE] if sim[row[s.id], t] >= max(ANGLE_CLOSE * best,
                                                                                  ANGLE_MIN_SIMILARITY)]
    return out


def _refs(sentences: Sequence[Sentence]) -> list[SentenceRef]:
    return [s.ref() for s in dict.fromkeys(sentences)]


def _by_score(facts: Sequence[Fact]) -> list[Fact]:
    return sorted(facts, key=lambda f: (-f.score, f.id))


def _side_rendering(fact: Fact, side: set[str]) -> list[Sentence]:
    """The fact's renderings by this side's articles, neutral wording first (the fact's own order)."""
    return [s for s in fact.sentences if s.article_id in side]


def _side_sentence(facts: Sequence[Fact], side: set[str]) -> CitedSentence | None:
    """The side's first stressed fact that it words neutrally, as that sentence in the brief's voice."""
    for fact in facts:
        for s in _side_rendering(fact, side):
            if neutral_rendering(s.text):
                refs = [s.ref()] + [x.ref() for x in _side_rendering(fact, side) if x is not s]
                sources = list(dict.fromkeys(r.article_id for r in refs))
                return CitedSentence(text=" ".join(s.text.split()), sources=sources, evidence=refs, origin="fact")
    return None


def _stances(articles: Sequence[Article], facts: Sequence[Fact], angles: dict[str, list[Sentence]],
             leads: dict[str, list[Sentence]], fact_of: dict[str, Fact]) -> list[StanceCoverage]:
    stance = {a.id: stance_of(a) for a in articles}
    labels = sorted({s for s in stance.values() if s},
                    key=lambda s: (STANCE_ORDER.index(s) if s in STANCE_ORDER else len(STANCE_ORDER), s))
    if not labels:
        return []
    several = len(labels) >= 2
    out: list[StanceCoverage] = []
    for label in labels:
        side = {a.id for a in articles if stance[a.id] == label}
        # A fact counts once per article of the side that stresses it (in its headline or its leads).
        stressed: Counter[int] = Counter()
        by_id: dict[int, Fact] = {}
        for aid in side:
            for f in {fact_of[s.id].id: fact_of[s.id] for s in angles.get(aid, []) + leads.get(aid, [])}.values():
                stressed[f.id] += 1
                by_id[f.id] = f
        emphasised = sorted(by_id.values(), key=lambda f: (-stressed[f.id], -f.score, f.id))
        only = _by_score([f for f in facts if several and all(stance.get(a) == label for a in f.articles)])
        out.append(StanceCoverage(
            stance=label,
            articles=[a.id for a in articles if a.id in side],
            emphasis=_refs([_side_rendering(f, side)[0] for f in emphasised[:MAX_EMPHASIS]]),
            only_this_side=_refs([_side_rendering(f, side)[0] for f in only[:MAX_ONLY_SIDE]]),
            summary=_side_sentence(emphasised, side),
        ))
    return out


def build_coverage(facts: Sequence[Fact], articles: Sequence[Article]) -> Coverage | None:
    """How each original article (and each stance) told the story; None when there is nothing to show.

    ``facts`` are the cluster's fact groups (``Evidence.facts``), ``articles`` its articles;
    near-duplicates are skipped, as the facts skip them.
    """
    originals = [a for a in articles if not a.duplicate_of]
    sentences, fact_of = _by_article(facts)
    if not originals or not sentences:
        return None
    angles = _angles(originals, sentences)
    leads = {a.id: sentences.get(a.id, [])[:MAX_LEADS] for a in originals}
    exclusive: dict[str, list[Fact]] = {}
    if len(originals) >= 2:
        for f in _by_score(facts):
            if len(f.articles) == 1:
                exclusive.setdefault(f.articles[0], []).append(f)
    outlets = [
        OutletCoverage(
            article_id=a.id, outlet=a.outlet, stance=stance_of(a), headline=" ".join(a.title.split()),
            angle=_refs(angles.get(a.id, [])), leads=_refs(leads[a.id]),
            only_here=_refs([f.sentences[0] for f in exclusive.get(a.id, [])[:MAX_ONLY_HERE]]),
        )
        for a in originals
    ]
    return Coverage(outlets=outlets, stances=_stances(originals, facts, angles, leads, fact_of))

