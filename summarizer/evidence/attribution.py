"""Who says a quote: the syntax of attribution, and abstention where it is not clear.

A quote gets a speaker only from a cue the article writes, tried in this order:

==============  ==============================================================================
rule            cue
==============  ==============================================================================
``after``       right after the closing mark: "…," Putin said / said Putin / he added
``before``      the last reporting verb before the opening mark, in the same sentence, and its
                subject: Putin said "…" / Elizabeth Lauten, the aide, wrote that they should "…"
                / said Putin, "…" / he calls "…"
``lead-in``     a lead-in ending in a colon or a participle ("…, saying:") naming one person
``according``   "according to X" in the quote's sentence (X not a publication)
``continued``   a quote opening its own sentence right after an attributed quote, nothing
                between but that quote's own cue (no other person, no paragraph between)
==============  ==============================================================================

A pronoun subject ("he said") stands for a person only when exactly one person is named before it
as a possible subject in its paragraph (or, if that names nobody, in the paragraph before), outside
quotes; a person named only after a preposition or as a possessive is no antecedent ("Of Obama, he
said" has no speaker). Otherwise the quote has no speaker. Publications ("according to TIME", "The Guardian noted") and lone surnames of
nobody named in full in the cluster are no speakers either. Quotes with no speaker may be shown as
quotes but never enter a named perspective (:meth:`Evidence.statements`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from ..text.lexicons import COUNTRIES, ORG_KEYWORDS, ORGS, SPEECH_VERBS, gazetteer, gazetteer_pattern
from ..text.names import names_match
from ..text.outlets import outlet_names
from .index import ArticleIndex
from .model import MIN_QUOTE_WORDS
from .persons import AUX

# Finite verbs whose object in quotation marks is the subject's own words, besides the speech
# verbs: "vows to end what he calls “…”", "dismissed it as “…”".
_OWN_WORDS = (
    r"calls?|called|describe[sd]?|dubb?(?:ed|s)?|labell?(?:ed|s)?|brand(?:ed|s)?|term(?:ed|s)?|"
    r"pledge[sd]?|vow(?:ed|s)?|promise[sd]?|accus(?:ed|es)|dismiss(?:ed|es)|referr?(?:ed|s)\s+to|retort(?:ed|s)?"
)
# Participles and infinitives whose subject is the clause's: "…, saying:", "was quick to retort:".
_PARTICIPLES = (
    r"stating|saying|adding|noting|writing|warning|insisting|arguing|declaring|explaining|"
    r"emphasi[sz]ing|stressing|telling\s+\w+|calling\s+(?:it|them|him|her|this|that)(?:\s+a|\s+an)?|"
    r"describing\s+(?:it|them|him|her|this|that)\s+as|referring\s+to\s+(?:it|them|him|her)\s+as|"
    r"labell?ing\s+(?:it|them)(?:\s+as)?|dismissing\s+(?:it|them)\s+as|to\s+(?:say|retort|add|write)"
)
_REPORTING = re.compile(r"\b(?:" + SPEECH_VERBS + "|" + _OWN_WORDS + r")\b")
_NAMERUN = r"(?:(?:[A-Z][\w’'.\-]*|of|the|for)\s+){0,7}[A-Z][\w’'\-]*"
_PRONOUN = r"[Hh]e|[Ss]he"
# The subject right before a reporting verb, past an appositive or relative clause:
# "Elizabeth Lauten, the communications director for Rep. Stephen Fincher (R-Tenn.), wrote".
_SUBJECT = re.compile(
    r"(?:^|(?<=[\s(\[—–\-]))(?P<who>" + _NAMERUN + "|" + _PRONOUN + r")"
    r"(?:\s*,\s*[\w’'.\-]+\b[^“”\"]*?,|\s*,\s+who)?\s+" + AUX + r"$"
)
# Verbs that put their subject after them ("said Putin"); after others a name is the object ("called Ryan").
_INVERTS = re.compile(r"said|says|added|adds|wrote|writes|asked|continued|explained|noted|recalled|replied|"
                      r"responded|countered|concluded|declared|argued|insisted|warned|stated")
_VERB_FIRST = re.compile(r"^\s*(?P<who>" + _NAMERUN + r")\b")
_AFTER_NAME_FIRST = re.compile(
    r"(?P<who>" + _NAMERUN + "|" + _PRONOUN + r")\s+" + AUX + r"(?:" + SPEECH_VERBS + r")\b"
)
_AFTER_VERB_FIRST = re.compile(r"(?:" + SPEECH_VERBS + r")\s+(?P<who>" + _NAMERUN + r")")
# Function words: no verb after a subject, and no part of a job title.
_NOT_VERBS = frozenset({
    "to", "for", "and", "or", "of", "in", "on", "at", "with", "from", "by", "as", "that", "which", "who",
    "but", "the", "a", "an", "into", "over", "about", "after", "before", "than", "when", "while",
})
# A job title between two names after the verb: "said Putin spokesman Dmitry Peskov" names the one the
# title describes, the last. A function word ends the title: "said Trump in an interview on NBC" is Trump's.
_TITLED = re.compile(
    r"(?:\s+(?!(?:" + "|".join(sorted(_NOT_VERBS)) + r")\b)[a-z][\w\-]*){1,4}\s+(?P<who>" + _NAMERUN + r")"
)
_AFTER_FROM = re.compile(
    r"(?:" + SPEECH_VERBS + r")\s+(?:[a-z]+\s+){0,4}?(?:from|by)\s+(?P<who>" + _NAMERUN + r")"
)
_LEAD_IN = re.compile(
    r"(?::|\b(?:" + SPEECH_VERBS + r")(?:\s+(?:at|to|in|on)?\s*[a-z]+){0,3}\s*[,:]|\b(?:" + _PARTICIPLES
    + r")\s*[,:]?)\s*(?:that\s+)?$"
)
_ACCORDING = re.compile(r"\b[Aa]ccording to (?P<who>" + _NAMERUN + r")")
# A mention right after one of these is an object, not a subject a pronoun can stand for.
_OBLIQUE = re.compile(
    r"\b(?:of|to|about|for|with|against|on|at|from|by|toward|towards|than|into|over|under|between|among)"
    r"\s+(?:(?:the|[A-Z][\w.’'\-]*)\s+){0,3}$|\b(?:his|her|their)\s+\w+,\s*$",
    re.IGNORECASE,
)
# What follows a subject: its verb, maybe past an appositive or relative clause ("Santorum, who …, said").
_VERB_AFTER = re.compile(
    r"(?:\s*,\s*(?:who|the|a|an|[a-z][\w\-]*|\d+)\b[^.;“”\"\n]*?,)?\s+(?:on\s+[A-Z]\w+\s+)?" + AUX + r"(?P<w>[a-z]+)\b"
)
# Honorifics that tell a person's gender, and so which pronoun can stand for them (titles such as
# "Sen." or "Senator" do not).
_HONORIFIC_PRONOUNS = {"Mr": "he", "Mrs": "she", "Ms": "she", "Miss": "she"}
SUBJECT_WINDOW = 300  # characters before a reporting verb searched for its subject
CONTINUATION_WINDOW = 300  # characters from an attributed quote to a quote that continues it


@dataclass(frozen=True)
class Cue:
    """Why a quote has its speaker: the cue's span in the article and the rule that read it."""

    speaker: str
    start: int
    end: int
    rule: str  # after, before, lead-in, according, continued


@lru_cache(maxsize=1)
def _institutions() -> frozenset[str]:
    return frozenset(gazetteer(COUNTRIES)) | frozenset(gazetteer(ORGS))


class Attributor:
    """Reads the speakers of one article's quotes, in text order."""

    def __init__(self, ix: ArticleIndex, quotes: list[tuple[int, int]]) -> None:
        self.ix = ix
        self.quotes = quotes
        self._opens = [o for o, _ in quotes]
        self.prev: tuple[int, int, Cue | None] | None = None  # the last quote of any length
        self.prev_real: tuple[int, int, Cue | None] | None = None  # the last quote of MIN_QUOTE_WORDS words

    # ---------------------------------------------------------------- who may be a speaker

    def _in_quote(self, pos: int) -> bool:
        i = bisect.bisect_right(self._opens, pos) - 1
        return i >= 0 and self.quotes[i][0] < pos < self.quotes[i][1]

    def _speaker(self, who: str, at: int) -> str | None:
        """A speaker phrase -> a speaker, or None for pronouns that cannot be resolved, publications
        and lone words that name nobody known."""
        who = who.strip()
        if re.fullmatch(_PRONOUN, who):
            return self._antecedent(at)
        name = self.ix.resolve(who, at)
        if name is None or any(p.name == name for p in self.ix.persons):
            return name
        bare = re.sub(r"^(?:the|a|an)\s+", "", name, flags=re.IGNORECASE)
        if name.casefold() in outlet_names() or bare.casefold() in outlet_names():
            return None  # "according to TIME": where the quote was read, not who said it
        if len(bare.split()) == 1 and bare not in _institutions() and not bare.isupper() \
                and bare.lower() not in ORG_KEYWORDS and not any(bare in p.name.split() for p in self.ix.persons):
            return None  # "said Cowen": the name of no one named in full in the cluster
        return name

    def _persons_in(self, start: int, end: int) -> list[tuple[int, int, str]]:
        return [(s, e, p.name) for s, e, p in self.ix.mentions_in(start, end) if not self._in_quote(s)]

    def _antecedent(self, at: int) -> str | None:
        """The one person a pronoun at ``at`` can stand for, or None when that is not clear.

        The window is the pronoun's paragraph up to it, or the paragraph before when its own names
        nobody; when neither names anyone, the speaker of an attributed quote in them goes on. Exactly one person must be named there as a possible subject; a person named only
        after a preposition ("Of Obama, he said") or as a possessive does not compete, but where the
        pronoun's own paragraph names only such a person, that person stands between: no speaker.
        """
        text = self.ix.text
        para = text.rfind("\n", 0, at) + 1
        window = self._persons_in(para, at)
        if not window:
            prev_end = len(text[:para].rstrip())
            prev_start = text.rfind("\n", 0, prev_end) + 1
            window = self._persons_in(prev_start, prev_end)
            last = self.prev_real[2] if self.prev_real else None
            if not window and last and last.speaker and last.start >= prev_start:
                return last.speaker  # '“…,” he said in the ad. ¶ “…,” he said': nobody else since
        named = {n for s, e, n in window if not self._oblique(s, e)}
        if len(named) > 1:  # "Mr. Netanyahu …, urging Obama to …": the one that reads as a subject
            named = {n for s, e, n in window if self._subject(s, e)}
            # ... and only when the article's honorific for that one agrees with the pronoun: in
            # "Senator Mary Smith thanked John Jones. … he said" the subject is not who "he" is.
            pronoun = "she" if text[at : at + 3].lower() == "she" else "he"
            if len(named) != 1 or pronoun not in self._genders(next(iter(named))):
                return None
        return named.pop() if len(named) == 1 else None

    def _genders(self, name: str) -> set[str]:
        """The pronouns the article's honorifics give ``name``: "Mr. Netanyahu" -> {"he"}."""
        surname = re.escape(name.split()[-1])
        return {_HONORIFIC_PRONOUNS[m.group(1)]
                for m in re.finditer(r"\b(" + "|".join(_HONORIFIC_PRONOUNS) + r")\.?\s+" + surname + r"\b", self.ix.text)}

    # ---------------------------------------------------------------- the rules

    def _after(self, c: int) -> Cue | None:
        text = self.ix.text
        after = text[c + 1 : min(len(text), c + 200)].split("\n", 1)[0]
        lead = len(after) - len(after := re.sub(r"^[\s,.;:!?—–\-]*", "", after))
        base = c + 1 + lead
        for rx in (_AFTER_NAME_FIRST, _AFTER_VERB_FIRST, _AFTER_FROM):
            m = rx.match(after)
            if m:
                if rx is not _AFTER_NAME_FIRST:
                    m = _TITLED.match(after, m.end()) or m
                who = self._speaker(m.group("who"), base + m.start("who"))
                # The cue is read: an unclear "he said" leaves the quote without a speaker.
                return Cue(who, base, base + m.end(), "after") if who else Cue("", base, base + m.end(), "after")
        return None

    def _before(self, floor: int, o: int) -> Cue | None:
        text = self.ix.text
        before = text[floor:o]
        verbs = [m for m in _REPORTING.finditer(before) if not self._in_quote(floor + m.start())]
        if not verbs:
            return None
        v = verbs[-1]
        if re.search(r"\bto\s+$", before[: v.start()]):
            return None  # "was quick to retort:": the clause's subject, read as a lead-in
        # The subject and its appositive lie within SUBJECT_WINDOW of the verb: searching the whole
        # prefix would re-scan it from every capitalised word (a long list of names is quadratic).
        cut = max(0, v.start() - SUBJECT_WINDOW)
        if cut:
            cut = before.find(" ", cut, v.start()) + 1 or v.start()
        m = _SUBJECT.search(before, cut, v.start())
        if m:
            at = floor + m.start("who")
            return Cue(self._speaker(m.group("who"), at) or "", at, floor + v.end(), "before")
        rest = before[v.end() :]
        m = _VERB_FIRST.match(rest)
        if m and _INVERTS.fullmatch(v.group()):
            m = _TITLED.match(rest, m.end()) or m  # "said Putin spokesman Dmitry Peskov, “…”"
            at = floor + v.end() + m.start("who")
            return Cue(self._speaker(m.group("who"), at) or "", floor + v.start(), at + len(m.group("who")), "before")
        if not re.search(r"[^\W\d_]", before[: v.start()].replace("and", "")):
            return None  # '“…,” and said, “…”': the quote's own speaker goes on (see speaker_of)
        # "the spokesman said “…”": a speaker not named is no speaker.
        return Cue("", floor + v.start(), floor + v.end(), "before")

    def _oblique(self, s: int, e: int) -> bool:
        """Whether the mention at ``text[s:e]`` is no subject by its form: after a preposition ("Of
        Obama"), a possessive ("Obama's") or in apposition to a possessed noun ("his wife, Huma")."""
        text = self.ix.text
        return bool(_OBLIQUE.search(text[max(0, s - 60) : s])) or text[e : e + 2] in ("'s", "’s")

    def _subject(self, s: int, e: int) -> bool:
        """Whether the mention at ``text[s:e]`` reads as a clause's subject: a verb follows it (past
        an appositive) and no preposition precedes it. Not "of Obama", "Obama's", "urging Obama to",
        "his wife, Huma Abedin, a longtime aide"."""
        if self._oblique(s, e):
            return False
        m = _VERB_AFTER.match(self.ix.text, e)
        return m is not None and m.group("w").lower() not in _NOT_VERBS

    def _lead_in(self, floor: int, o: int) -> Cue | None:
        before = self.ix.text[floor:o]
        if not _LEAD_IN.search(before):
            return None
        persons = self._persons_in(floor, o)
        if persons:
            if len({n for _, _, n in persons}) > 1 or not any(self._subject(s, e) for s, e, _ in persons):
                return None
            s, e, name = persons[0]
            return Cue(name, s, e, "lead-in")
        ents = [em for em in gazetteer_pattern(COUNTRIES).finditer(before)]
        ents += [em for em in gazetteer_pattern(ORGS).finditer(before)]
        if ents:
            first = min(ents, key=lambda em: em.start())
            if not self._subject(floor + first.start(), floor + first.end()):
                return None  # "Asked about Ukraine, the foreign minister was blunt:" names no speaker
            who = self._speaker(first.group(), floor + first.start())
            return Cue(who, floor + first.start(), floor + first.end(), "lead-in") if who else None
        return None

    def _according(self, s_start: int, s_end: int, o: int) -> Cue | None:
        for m in self.ix.matches(_ACCORDING, s_start, s_end):  # once per sentence, not once per quote
            if self._in_quote(m.start()):
                continue
            who = self._speaker(m.group("who"), m.start("who"))
            if who:
                return Cue(who, m.start(), m.end(), "according")
        return None

    def _continued(self, o: int, s_start: int) -> Cue | None:
        prev = self.prev_real
        text = self.ix.text
        if prev is None or prev[2] is None or o - prev[1] > CONTINUATION_WINDOW:
            return None
        if re.search(r"[^\s\W]", text[s_start:o]):
            return None  # the quote does not open its sentence: the lead-in is someone's cue
        between = text[prev[1] + 1 : o]
        if "\n" in between.strip("\n"):
            return None  # a paragraph stands between
        if "\n" in between:
            # A new paragraph continues the quote only when it is nothing but quotes.
            end = text.find("\n", o)
            para = text[o : len(text) if end < 0 else end]
            outside = re.sub(r"[“«„\"][^“”«»„\"]*[”»“\"]", "", para)
            if re.search(r"[^\W\d_]", outside):
                return None
        if any(not names_match(n, prev[2].speaker) for _, _, n in self._persons_in(prev[1] + 1, o)):
            return None
        return Cue(prev[2].speaker, prev[2].start, prev[2].end, "continued")

    def speaker_of(self, o: int, c: int, words: int) -> Cue | None:
        """The cue that names the speaker of the quote whose marks are at ``o`` and ``c``, or None."""
        ix = self.ix
        s_start, s_end = ix.sentence_at(o)
        s_end = max(s_end, ix.sentence_at(c)[1])
        floor = s_start
        if self.prev and s_start <= self.prev[1] < o:
            floor = self.prev[1] + 1
        cue = (
            self._after(c)
            or self._before(floor, o)
            or self._lead_in(floor, o)
            or self._according(s_start, s_end, o)
            or self._continued(o, s_start)
        )
        if cue is None and self.prev and self.prev[2] and self.prev[2].speaker and floor > s_start \
                and _LEAD_IN.search(ix.text[floor:o]):
            cue = self.prev[2]  # '“…,” he added, and said, “…”': the same speaker goes on
        cue = cue if cue and cue.speaker else None
        self.prev = (o, c, cue)
        if words >= MIN_QUOTE_WORDS:
            self.prev_real = (o, c, cue)
        return cue

