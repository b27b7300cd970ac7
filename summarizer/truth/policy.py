"""The truth layer's policy: ONE table from issue code to what happens.

Every check reports :class:`~summarizer.truth.base.Issue` s by a stable ``code``; nothing
anywhere decides by reading an issue's message. Each row says:

* ``kind``: the public category in the brief's GroundingReport (``GroundingIssue.kind``);
* ``fatal``: the item it concerns is dropped (a sentence, quote, claim, entity; a title
  falls back to an article's headline; a stance or role is cleared);
* ``stops``: later checks of the same item are skipped (nothing else about it matters);
* ``reask``: the brief fields in which this issue is worth a whole extra model call; anywhere
  else code repairs, drops or flags it for free;
* ``strict``: the sections in which :func:`summarizer.truth.verify` (behind
  ``StoryBrief.model_validate(..., context={"articles": ...})``) refuses the brief (``"*"``: all);
* ``advice``: what a re-ask tells the model to do;
* ``unusable``: the sections in which a model's sentence with this issue is not used at all, even
  where it is not fatal (an update's "what's new" sentences are replaced by source sentences,
  never repaired or re-asked): see :func:`unusable`;
* ``screens``: a stand-in for the condemned item must pass the check that found this issue too
  (a title falls back to the first headline that does), and the item counts as repaired.
"""

from __future__ import annotations

from dataclasses import dataclass

EVERYWHERE = ("*",)
SENTENCES = ("summary", "key_points", "whats_new")
REASK_FIELDS = ("title", "summary")  # only the headline and summary are worth an extra call
UPDATE = ("whats_new",)  # an update's own section


@dataclass(frozen=True)
class Rule:
    kind: str
    fatal: bool = False
    stops: bool = False
    reask: tuple[str, ...] = ()
    strict: tuple[str, ...] = ()
    advice: str = ""
    unusable: tuple[str, ...] = ()
    screens: bool = False


POLICY: dict[str, Rule] = {
    # instruction-like text: the item is data, not the brief's voice
    "injection": Rule("injection", fatal=True, stops=True, screens=True),
    # citations
    "citation_dangling": Rule("citation_dangling", strict=EVERYWHERE),
    "citation_uncited": Rule(
        "citation_unsupported", unusable=UPDATE,
        advice="cite the article numbers that contain these facts, or remove the sentence",
    ),
    "citation_none": Rule("citation_unsupported"),
    "citation_repaired": Rule("citation_repaired"),
    "source_unknown": Rule("citation_dangling", fatal=True, strict=EVERYWHERE),
    # sentence-level support: the source sentences a sentence cites
    "evidence_not_verbatim": Rule("citation_dangling", fatal=False, strict=EVERYWHERE, unusable=UPDATE),
    "evidence_unsupported": Rule("citation_unsupported", unusable=UPDATE),
    "sentence_cut_off": Rule("citation_unsupported"),
    "reference_not_verbatim": Rule("citation_dangling", fatal=True, strict=EVERYWHERE),
    # how each outlet told it: entries of real articles, each sentence its own article's
    "coverage_unknown_article": Rule("citation_dangling", fatal=True, strict=EVERYWHERE),
    "coverage_foreign_sentence": Rule("citation_dangling", strict=EVERYWHERE),
    "coverage_headline": Rule("citation_dangling", strict=EVERYWHERE),
    "place_unsupported": Rule("entity_unsupported", fatal=True),
    "player_unsupported": Rule("name_unsupported", fatal=True),
    # reactions by country: an exact sentence that names the actor, of an actor that speaks for a state
    "reaction_not_verbatim": Rule("citation_dangling", fatal=True, strict=EVERYWHERE),
    "reaction_unsupported": Rule("name_unsupported", fatal=True, strict=EVERYWHERE),
    # coverage: top-ranked facts the draft left out, added as their source sentences; sentences moved
    # between the summary and the key points to keep the summary to its length
    "coverage_added": Rule("coverage"),
    "coverage_moved": Rule("coverage"),
    "coverage_merged": Rule("coverage"),
    # provenance: text whose words or script come from no article
    "unsourced_words": Rule("citation_unsupported", fatal=True),
    "foreign_script": Rule("citation_unsupported", fatal=True),
    "topic_unsourced": Rule("citation_unsupported", fatal=True),
    # facts
    "number_unsupported": Rule(
        "number_unsupported", fatal=True, reask=REASK_FIELDS, strict=SENTENCES,
        advice="use only figures from the articles and attribute them",
    ),
    "name_unsupported": Rule(
        "name_unsupported", fatal=True, reask=REASK_FIELDS, strict=SENTENCES,
        advice="use only names that appear in the articles",
    ),
    "actor_unsupported": Rule("name_unsupported", fatal=True),
    "role_unsupported": Rule("name_unsupported", fatal=True),
    # neutrality
    "loaded_language": Rule(
        "loaded_language", reask=REASK_FIELDS, unusable=UPDATE,
        advice="use neutral wording, or quote the word and say who used it",
    ),
    "unattributed_claim": Rule(
        "unattributed_claim", reask=REASK_FIELDS, unusable=UPDATE,
        advice="say who claims it (e.g. 'according to ...'), or give each source's figure",
    ),
    # a speaker's first-person words in the brief's voice: replaced by the source sentence that quotes them
    "unattributed_quote": Rule("unattributed_claim"),
    # quotes: chosen from the evidence by code, so a re-ask cannot help
    "quote_fabricated": Rule("quote_fabricated", fatal=True, strict=EVERYWHERE),
    "quote_repaired": Rule("quote_repaired"),
    "quote_offsets": Rule("quote_repaired"),
    "quote_speaker": Rule("quote_speaker", fatal=True, strict=EVERYWHERE),
    # claims, entities and the brief's structure
    "claim_uncited": Rule("citation_dangling", fatal=True),
    "disagreement_line": Rule("citation_unsupported", fatal=True, strict=EVERYWHERE),
    "claims_too_few": Rule("citation_unsupported"),
    "entity_unsupported": Rule("entity_unsupported", fatal=True),
    "perspective_empty": Rule("citation_unsupported"),
    "stance_unsupported": Rule("citation_unsupported"),
    "redundant_key_point": Rule("redundant", fatal=True),
    "repeated_sentence": Rule("redundant", fatal=True),  # the walker's: a repair restored a sentence already said
    "summary_fallback": Rule("citation_unsupported"),
    # timeline events: source sentences and the dates they give
    "event_not_verbatim": Rule("citation_dangling", fatal=True, strict=EVERYWHERE),
    "event_date_unsupported": Rule("citation_unsupported", fatal=True, strict=EVERYWHERE),
    # an update's "what's new" item that rests on none of the articles the update added
    "not_new": Rule("citation_unsupported", fatal=True, strict=UPDATE),
    # an update's model answer that could not be read, or none of whose sentences could be used:
    # the new facts' own source sentences stand in
    "update_unreadable": Rule("citation_unsupported"),
    "update_fallback": Rule("citation_unsupported"),
    # meaning: a sentence that reverses the source sentences it cites (truth/meaning.py). Repaired:
    # the cited source sentence stands in for it (a stance is cleared). A re-ask could only reword it.
    "meaning_negation": Rule("citation_unsupported", strict=EVERYWHERE),
    "meaning_antonym": Rule("citation_unsupported", strict=EVERYWHERE),
    "meaning_figure": Rule("citation_unsupported", strict=EVERYWHERE),
    "meaning_date": Rule("citation_unsupported", strict=EVERYWHERE),
    "meaning_role": Rule("citation_unsupported", strict=EVERYWHERE),
    "meaning_name": Rule("citation_unsupported", strict=EVERYWHERE),
    "meaning_quote": Rule("citation_unsupported", strict=EVERYWHERE),
    # a model sentence that fuses source sentences none of which holds it alone (truth/fusion.py): the
    # meaning rules cannot read it, so its best source sentence stands in. Repaired, not refused: a
    # brief another model wrote may fuse well, and an entailment judge may vouch for it
    "fusion_unverified": Rule("citation_unsupported"),
    # a state given as current that an article says ended ("is missing" / "was found", truth/states.py):
    # the later sentence stands in for it
    "superseded_state": Rule("citation_unsupported", strict=EVERYWHERE),
}


def section(where: str) -> str:
    """The top-level field of a path: ``"summary[2]"`` -> ``"summary"``, ``"perspectives[0].stance"`` -> ``"perspectives"``."""
    return where.split("[", 1)[0].split(".", 1)[0]


def reaskable(code: str, where: str) -> bool:
    return section(where) in POLICY[code].reask


def strict(code: str, where: str) -> bool:
    rule = POLICY[code].strict
    return rule == EVERYWHERE or section(where) in rule


def unusable(code: str, where: str) -> bool:
    """Whether a model's sentence at ``where`` with this issue is not to be used at all: the issue is
    fatal, or the table says so for that section."""
    return POLICY[code].fatal or section(where) in POLICY[code].unusable
