"""Two facts about one actor said as one sentence: "Pasztor faces two counts of murder." and "Pasztor
has not been charged with Macomber's death." become "Pasztor faces two counts of murder and has not
been charged with Macomber's death."

A human summary merges such facts: the actor is named once, and the reader reads one statement about
them. Code can do it with nothing added but "and": both sentences open with the same actor (the same
words, a name or "The" and a name), and the first says one plain thing about them, with no clause the
second's predicate could attach to instead ("Kroll was the chief executive of the app, which
live-streams shows, and was named CEO": who was named?). Everything else of both sentences stays,
negations, figures and claimants included, so the truth layer checks the result against the two source
sentences as it checks each of them. :func:`merge` returns None wherever those conditions do not hold.
"""

from __future__ import annotations

import re

from .clauses import CLAUSE_BREAKS
from .lexicons import NOT_NAME, SPEECH_VERBS
from .sentences import ABBREVIATIONS

__all__ = ["MAX_FIRST_WORDS", "merge", "subject"]

MAX_FIRST_WORDS = 30  # a longer first sentence would bury the second fact
# The actor: "The" at most, then one to five capitalised words ("Attorney General Merrick Garland",
# "The IMF", "U.S. employers" is not one), then a lower-case word that is no function word.
_SUBJECT = re.compile(r"^((?:The )?(?:[A-Z][\w.’'-]*\s){1,5})(?=([a-z][\w’'-]*)\b)")
# The actor speaks when the predicate opens with a speech verb (after an adverb at most): "Police say ...".
_SPEECH = re.compile(rf"^(?:[a-z]+ly )?(?:{SPEECH_VERBS})\b", re.IGNORECASE)
# Words after which the next predicate could attach to another clause ("... explaining what caused the
# outage and indicated ..."), or to another actor ("X faces two counts and Y faces one and also sent ...").
_FIRST_BREAKS = (CLAUSE_BREAKS - {"."}) | {"what", "how", "why", "whether", "nor"}
_WORD = re.compile(r"[^\W\d_]+|[,;:()\[\]—–!?]")


# The word after the actor must be its verb, or "Nevada dispensaries are running out" would make
# "Nevada" the actor. Without a tagger: an auxiliary, a past form, or a present form in -s that
# does not end like a plural noun ("dispensaries", "officials", "employers").
AUXILIARIES = frozenset(["is", "was", "are", "were", "has", "had", "have", "will", "would", "can", "could", "may",
                         "might", "must", "should", "shall", "does", "did", "do", "wo", "ca"])
PLURAL_ENDINGS = ("ies", "ers", "ors", "ists", "ians", "ants", "ents", "ics", "als", "ss")


def _verb(word: str) -> bool:
    word = re.sub(r"n[’']t$", "", word.lower())
    if word in AUXILIARIES or word.endswith("ed"):
        return True
    return word.endswith("s") and not word.endswith(PLURAL_ENDINGS)


def subject(text: str) -> str | None:
    """The actor ``text`` opens with (its exact words), or None when it opens otherwise: a function
    word, a pronoun, a date or a name the next word does not make the subject of ("Bank of ..."),
    or an actor who speaks (the fact is what they said, and "X said A and B" reads as one remark)."""
    m = _SUBJECT.match(text)
    if m is None or _SPEECH.match(text[m.end():]):
        return None
    after = text[m.end():].split()
    verb = after[1] if m.group(2).endswith("ly") and len(after) > 1 else m.group(2)  # "has often", "quickly said"
    if not _verb(verb):
        return None
    words = m.group(1).split()
    if words[0].lower() in NOT_NAME and not (words[0] == "The" and len(words) > 1):
        return None
    if any(w.lower().strip(".’'") in NOT_NAME for w in words[1:]):
        return None
    return m.group(1).strip()


def _plain(predicate: str) -> bool:
    """One plain statement: no clause word, comma or quotation the next predicate could attach to."""
    if len(predicate.split()) > MAX_FIRST_WORDS:
        return False
    if re.search(r"[\"“”‘(]|’(?![a-z])|,(?!\d)", predicate):  # a quotation (not "Macomber’s"), an aside, a comma
        return False
    return not any(w.lower() in _FIRST_BREAKS for w in _WORD.findall(predicate))


def _abbreviated(text: str) -> bool:
    """Whether the full stop ending ``text`` belongs to an abbreviation ("Sen.", "Ariz.", "U.S.", an initial)."""
    last = text.split()[-1][:-1]
    return (last.lower().strip("(") in ABBREVIATIONS or "." in last or len(last) == 1
            or re.fullmatch(r"[A-Z][a-z]{1,3}", last) is not None)


def merge(first: str, second: str) -> str | None:
    """``first`` and ``second`` as one sentence joined by "and", when both open with the same actor and
    ``first`` says one plain thing about it; else None. Nothing but "and" is added, nothing but the
    second mention of the actor (and ``first``'s full stop) is removed."""
    first, second = " ".join(first.split()), " ".join(second.split())
    actor = subject(first)
    if actor is None or subject(second) != actor or not first.endswith(".") or first.endswith(".."):
        return None
    predicate = first[len(actor):-1].strip()
    rest = second[len(actor):].strip()
    if not predicate or not rest or not _plain(predicate) or _abbreviated(first):
        return None
    return f"{actor} {predicate} and {rest}"
