"""The story's timeline: dated events from the articles' own sentences, one entry per event.

:func:`build_timeline` dates every prose sentence of the cluster (:func:`summarizer.text.dates.find_dates`
over the whole article, so "the previous day" counts from the day the article last stated), keeps
the sentences that report something happening on that date, and merges the sentences of different
outlets that report the same event. Nothing is written: an event's text is a source sentence.

Two sentences report the same event when they come from different articles, their dates play the
same part (the date of a report, "X said on Thursday that ...", or of what is reported, "... that
troops arrived on October 23"), and they state the same fact (same fact group of
:mod:`summarizer.evidence.facts`, or TF-IDF cosine of the dated clauses above SAME_EVENT). If their
dates cannot name the same day but lie within MAX_GAP_DAYS, the outlets disagree on the date: the
event keeps every outlet's date (``TimelineEvent.disputed``) instead of picking one. Dates further
apart are different events ("met in June", "met again in September").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from ..schema.article import Article
from ..schema.parts import EventDate, TimelineEvent
from ..text.dates import BOUNDARY, DateMention, article_dates, is_dateline, mentions_in, overlap
from ..text.fitness import has_finite_verb
from ..text.lexicons import SPEECH_VERBS
from ..text.names import inner_name_words, name_words
from .facts import Fact, Sentence, article_sentences, similarity_matrix

MAX_EVENTS = 8
SAME_EVENT = 0.3  # cosine of two dated clauses above which they state the same thing
SAME_NAMES = 0.5  # Jaccard of distinctive names above which two dated clauses concern the same event
DISTINCTIVE_SHARE = 0.5
MAX_GAP_DAYS = 7
REPORT_REACH = 80  # characters before a reporting verb within which a date dates the report  # dates further apart than this are different events, not a disagreement
_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
# Verbs that report something; a date after "X reported that" belongs to what is reported.
_REPORTING = re.compile(rf"\b(?:{SPEECH_VERBS}|mentioned|asserted|reported|reports|indicated|indicates|indicate|"
                        r"showed|shows|estimated|estimates|alleged|revealed|believes|believed)\b")
_THAT = re.compile(r"[^.;]{0,80}?\bthat\b")
_NAME = re.compile(r"(?<!^)(?<![.!?“\"]\s)\b[A-Z][a-z]+|\b[A-Z]{2,}\b")
_DANGLING = re.compile(r"^(?:He|She|It|They|This|That|These|Those|His|Her|Their)\b")
_QUOTE_MARKS = "“\"‘'"


@dataclass(frozen=True)
class Dated:
    """One prose sentence with the date it gives, the part that date plays, and the dated clause."""

    sentence: Sentence
    mention: DateMention  # offsets are into the article text
    role: str  # "embedded" (in "X reported that ..."), "main" (a sentence that reports), or "plain"
    clause: str
    rank: float  # higher is a better timeline entry
    names: frozenset[str] = frozenset()  # the distinctive names of the clause (see _distinctive)


def dated_sentences(articles: Sequence[Article], facts: Sequence[Fact] = ()) -> list[Dated]:
    """Every prose sentence that dates an event of the story (its best date), best first."""
    pubs = article_dates(articles)
    by_article: dict[str, list[DateMention]] = {
        a.id: mentions_in(a.text, *pubs[a.id]) for a in articles if not a.duplicate_of
    }
    arts = {a.id: a for a in articles}
    score = {s.id: f.score * (1 + len(f.articles)) for f in facts for s in f.sentences}
    sentences = article_sentences([a for a in articles if not a.duplicate_of])
    distinctive = _distinctive([s.text for s in sentences])
    out: list[Dated] = []
    for s in sentences:
        art = arts[s.article_id]
        pub = pubs[art.id][0]
        usable = [m for m in by_article[s.article_id] if s.start <= m.start < s.end and _event_date(m, art.text, pub)]
        if not usable or not _NAME.search(s.text) or not has_finite_verb(s.text):
            continue  # an event names an actor and says what happened
        if _DANGLING.match(s.text) or s.text[:1] in _QUOTE_MARKS:
            continue  # "This event has been ...", "“Kursk is ...,” X noted": it leans on its article, or is a remark
        m = min(usable, key=lambda x: (_PRECISION_RANK[x.precision or "year"], x.start))
        role, clause = _role(s, m)
        rank = score.get(s.id, 0.0) + 1.0 / (1 + s.index)
        out.append(Dated(s, m, role, clause, rank, frozenset(name_words(clause) & distinctive)))
    return sorted(out, key=lambda d: -d.rank)


def _distinctive(texts: list[str]) -> set[str]:
    """Name words written capitalised inside some sentence (so not only as a sentence's first word,
    "Earlier ...") and found in at most DISTINCTIVE_SHARE of the cluster's sentences: the story's
    subject ("North Korea", named everywhere) says nothing about which event a sentence reports."""
    df: dict[str, int] = {}
    inside: set[str] = set()
    for t in texts:
        for n in name_words(t):
            df[n] = df.get(n, 0) + 1
        inside.update(inner_name_words(t))
    return {n for n, k in df.items() if k <= DISTINCTIVE_SHARE * len(texts) and n in inside}


def _event_date(m: DateMention, text: str, pub: date | None) -> bool:
    """A resolved date on which something happened: not a dateline, not the edge of a span ("since
    2022", "by December"), not after publication (a forecast or a schedule is not an event yet)."""
    if not m.resolved or m.lead in BOUNDARY or is_dateline(text, m):
        return False
    return pub is None or m.span[0] <= pub


def _role(s: Sentence, m: DateMention) -> tuple[str, str]:
    """What the date dates, and the clause it dates.

    'embedded': the date is inside "X reported that ..." and dates what is reported (that clause);
    'main': the date is just before such a clause's verb, so it dates the report ("A statement on Thursday
    indicated that ..."); 'plain': nothing is reported with "that", the date dates what the sentence says.
    """
    at = m.start - s.start
    role = "plain"
    for v in _REPORTING.finditer(s.text):
        that = _THAT.match(s.text, v.end())
        if that:
            if at >= that.end():
                return "embedded", s.text[that.end():]
            if at >= v.start() - REPORT_REACH:  # the date is in the report's own clause
                role = "main"
    return role, s.text


def build_timeline(articles: Sequence[Article], facts: Sequence[Fact] = ()) -> list[TimelineEvent]:
    """The cluster's timeline: at most MAX_EVENTS events, most reported first chosen, in date order."""
    dated = dated_sentences(articles, facts)
    if not dated:
        return []
    group_of = {s.id: f.id for f in facts for s in f.sentences}
    sim = similarity_matrix([d.clause for d in dated])
    events: list[list[int]] = []
    for i, d in enumerate(dated):
        home = next((e for e in events if _joins(i, e, dated, sim, group_of)), None)
        if home is None:
            events.append([i])
        else:
            home.append(i)
    order = {a.id: k for k, a in enumerate(articles)}
    built = [_event([dated[i] for i in e], order) for e in _choose(events, dated)]
    return sorted(built, key=lambda ev: _sort_key(ev))


def _choose(events: list[list[int]], dated: list[Dated]) -> list[list[int]]:
    """At most MAX_EVENTS events: the most reported first, then the best ranked; an event on a date
    the timeline does not have yet counts as one more outlet (a timeline is about the sequence)."""
    left = list(events)
    chosen: list[list[int]] = []
    have: set[str] = set()
    while left and len(chosen) < MAX_EVENTS:
        def value(e: list[int]) -> tuple[int, float]:
            new = not any(dated[i].mention.iso in have for i in e)
            return len(e) + new, max(dated[i].rank for i in e)
        best = max(left, key=value)
        chosen.append(best)
        left.remove(best)
        have.update(dated[i].mention.iso for i in best)
    return chosen


def _joins(i: int, event: list[int], dated: list[Dated], sim: np.ndarray, group_of: dict[str, int]) -> bool:
    """Sentence ``i`` reports the same event as a member of ``event``, on the same date or on one the
    outlets disagree on: then both dates must play the same part (a report's date is not the date of
    what it reports: "reported on Thursday that troops arrived on Tuesday"), and lie close together."""
    d = dated[i]
    if any(dated[j].sentence.article_id == d.sentence.article_id for j in event):
        return False  # an article does not date one event twice; two of its dates are two events
    for j in event:
        o = dated[j]
        if not _same_event(d, o, float(sim[i, j]), group_of):
            continue
        if overlap(d.mention, o.mention):
            return True
        if o.role == d.role and _gap(d.mention, o.mention) <= MAX_GAP_DAYS:
            return True
    return False


def _same_event(a: Dated, b: Dated, cosine: float, group_of: dict[str, int]) -> bool:
    """Same fact group or similar wording; or, for two dates of the same role, the same distinctive
    names (a place, a person) however worded ("first seen in Kursk", "arrived in Kursk")."""
    group = group_of.get(a.sentence.id)
    if (group is not None and group == group_of.get(b.sentence.id)) or cosine >= SAME_EVENT:
        return True
    shared = a.names & b.names
    if not shared:
        return False
    if cosine >= SAME_EVENT / 2:
        return True
    return a.role == b.role and len(shared) / len(a.names | b.names) >= SAME_NAMES


def _gap(a: DateMention, b: DateMention) -> int:
    (a0, a1), (b0, b1) = a.span, b.span
    return max((b0 - a1).days, (a0 - b1).days)


def _event(members: list[Dated], order: dict[str, int]) -> TimelineEvent:
    members = sorted(members, key=lambda d: order.get(d.sentence.article_id, 0))
    sources = [d.sentence.article_id for d in members]
    disputed = any(not overlap(a.mention, b.mention) for a in members for b in members)
    if not disputed:
        # The finest date any outlet gives ("June 19" over "in June"); its sentence is the event's text
        # and first evidence, so the date is written where the event says it is.
        lead = min(members, key=lambda d: (_PRECISION_RANK[d.mention.precision or "year"], -d.rank))
        m = lead.mention
        refs = [lead.sentence.ref()] + [d.sentence.ref() for d in members if d is not lead]
        return TimelineEvent(date=m.iso, precision=m.precision or "day", date_text=m.text,
                             resolved_from=m.resolved_from, text=" ".join(lead.sentence.text.split()),
                             evidence=refs, sources=sources)
    # Dates that cannot name the same day: the outlets disagree, and each one's date is kept.
    lead = max(members, key=lambda d: d.rank)
    refs = [lead.sentence.ref()] + [d.sentence.ref() for d in members if d is not lead]
    claims = [EventDate(date=d.mention.iso, precision=d.mention.precision or "day", date_text=d.mention.text,
                        resolved_from=d.mention.resolved_from, sources=[d.sentence.article_id],
                        evidence=d.sentence.ref()) for d in sorted(members, key=lambda d: d.mention.span[0])]
    return TimelineEvent(date=f"{claims[0].date}/{claims[-1].date}", precision=claims[0].precision, date_text="",
                         resolved_from="the sources give different dates", text=" ".join(lead.sentence.text.split()),
                         evidence=refs, sources=sources, disputed=claims)


def _sort_key(ev: TimelineEvent) -> tuple[str, int]:
    # ISO dates sort as text once weeks ('2024-W43') are read as their Monday; coarser first on ties.
    start = ev.disputed[0].date if ev.disputed else ev.date
    return (_week_monday(start), _PRECISION_RANK[ev.precision])


def _week_monday(iso: str) -> str:
    m = re.fullmatch(r"(\d{4})-W(\d{2})", iso)
    return date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1).isoformat() if m else iso
