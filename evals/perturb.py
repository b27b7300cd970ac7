"""Meaning perturbations: how many sentences that reverse their sources ship as verified.

Each perturbation changes one sentence of a brief in meaning while keeping its words (FactCC-style)
and leaves its evidence as it was: ``negation`` (a "not" inserted or removed), ``antonym`` (a word
for its opposite), ``figure`` (a number for another number of the cluster), ``entity`` (a name for
another name of the cluster), ``role`` (two names of the sentence swapped: who did what to whom),
``date`` (a weekday or month for another). ``control`` changes nothing.

Two settings, both reported per type as "perturbed sentences that ship":

* ``strict``: saved briefs (eval records, ``record["brief"]``) with one summary or key-point
  sentence perturbed, re-validated through ``StoryBrief.model_validate(brief, context={"articles":
  ...})``; a brief that validates ships its perturbed sentence. Control: unchanged briefs that validate.
* ``pipeline``: a scripted model copies the fact sheet's sentences into the draft, one of them
  perturbed, and the pipeline runs (no model); the perturbed sentence ships when its text is in the
  final brief. Control: the share of copied sentences that reach the brief unchanged.

The perturbations are written from general English, not from the checker's word lists.
"""

from __future__ import annotations

import json
import random
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from summarizer.schema import Article, StoryBrief
from summarizer.text.lexicons import STOPWORDS
from summarizer.text.names import capital_runs, names_match
from summarizer.text.numbers import NUMBER_RE, number_kind

TYPES = ("control", "negation", "antonym", "figure", "entity", "role", "date")
PER_BRIEF = 3  # perturbed sentences tried per brief and type

_AUX = re.compile(r"\b(is|are|was|were|has|have|had|will|would|can|could|should|may|might|must)\b")
_NEGATED = re.compile(r"\b(?:not|never|no)\s+|(?<=\w)n['’]t\b")  # "no" too: "not no longer" is no reversal
_PAST = re.compile(r"\b([a-z]{3,}?)(ed)\b")
_OPPOSITES = [
    ("rose", "fell"), ("rise", "fall"), ("increased", "decreased"), ("increase", "decrease"), ("higher", "lower"),
    ("more", "fewer"), ("won", "lost"), ("win", "lose"), ("approved", "rejected"), ("passed", "failed"),
    ("first", "last"), ("before", "after"), ("support", "oppose"), ("supported", "opposed"), ("allowed", "banned"),
    ("legal", "illegal"), ("guilty", "innocent"), ("convicted", "acquitted"), ("open", "closed"), ("began", "ended"),
    ("started", "ended"), ("major", "minor"), ("large", "small"), ("largest", "smallest"), ("many", "few"),
    ("long", "short"), ("new", "old"), ("early", "late"), ("against", "for"), ("with", "without"), ("up", "down"),
    ("above", "below"), ("accepted", "rejected"), ("agreed", "refused"), ("confirmed", "denied"),
    ("included", "excluded"), ("strong", "weak"), ("positive", "negative"), ("public", "private"),
    ("likely", "unlikely"), ("possible", "impossible"), ("north", "south"), ("east", "west"), ("most", "least"),
    ("best", "worst"), ("better", "worse"), ("all", "none of"), ("entered", "left"), ("hired", "fired"),
    ("raised", "lowered"), ("expanded", "reduced"), ("gained", "lost"), ("peaceful", "violent"),
    ("domestic", "foreign"), ("Democrats", "Republicans"), ("liberal", "conservative"), ("killed", "injured"),
    ("dead", "alive"), ("arrested", "released"), ("ally", "rival"), ("praised", "criticized"),
]
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_CALENDAR = frozenset(_MONTHS + _DAYS) | {m[:3] for m in _MONTHS} | {"Sept"}


@dataclass
class Material:
    """What a perturbation may borrow from the cluster: its figures and its names."""

    figures: list[str]
    names: list[str]

    @classmethod
    def of(cls, articles: Sequence[Article]) -> Material:
        figures, names = [], []
        for a in articles:
            figures += [m.group().strip() for m in NUMBER_RE.finditer(a.text) if number_kind(a.text, m) == "count"]
            names += [n for n in _names(a.text)]
        return cls(list(dict.fromkeys(figures)), list(dict.fromkeys(names)))


def _name_spans(text: str) -> list[tuple[int, int]]:
    """Runs of capitalised words that name someone or something: no dates ("Oct."), and not one word
    opening a sentence ("Speaking, ...", "Dubbed the ...")."""
    out = []
    for run in capital_runs(text):
        words = [t for _, _, t in run if t.lower() not in STOPWORDS and t.rstrip(".") not in _CALENDAR]
        opens = not text[: run[0][0]].strip() or text[: run[0][0]].rstrip()[-1] in ".!?\"“"
        if words and len(words) == len(run) and not (opens and len(run) == 1):
            out.append((run[0][0], run[-1][1]))
    return out


def _names(text: str) -> list[str]:
    return [text[s:e] for s, e in _name_spans(text)]


# ----------------------------------------------------------------------------- the perturbations

def negation(text: str, m: Material, rng: random.Random) -> str | None:
    if _NEGATED.search(text):  # inserting into a negated sentence would make a double negation
        return _NEGATED.sub("", text, count=1)
    aux = _AUX.search(text)
    if aux and rng.random() < 0.6:
        return text[: aux.end()] + rng.choice([" not", " never"]) + text[aux.end() :]
    past = _PAST.search(text)
    if past:
        return text[: past.start()] + "did not " + past.group(1) + text[past.end() :]
    return text[: aux.end()] + " not" + text[aux.end() :] if aux else None


def antonym(text: str, m: Material, rng: random.Random) -> str | None:
    pairs = _OPPOSITES[:]
    rng.shuffle(pairs)
    for a, b in pairs:
        for x, y in ((a, b), (b, a)):
            hit = re.search(rf"\b{re.escape(x)}\b", text, re.IGNORECASE)
            if hit:
                repl = y.capitalize() if hit.group()[0].isupper() else y
                return text[: hit.start()] + repl + text[hit.end() :]
    return None


def figure(text: str, m: Material, rng: random.Random) -> str | None:
    found = [x for x in NUMBER_RE.finditer(text) if number_kind(text, x) in ("count", "percent", "money", "year")]
    if not found:
        return None
    x = rng.choice(found)
    others = [f for f in m.figures if f.replace(",", "") != x.group("num").replace(",", "")]
    if not others:
        return None
    return text[: x.start("num")] + rng.choice(others) + text[x.end("num") :]


def entity(text: str, m: Material, rng: random.Random) -> str | None:
    mine = [n for n in _names(text) if len(n) > 2]
    if not mine:
        return None
    name = rng.choice(mine)
    others = [o for o in m.names if not names_match(o, name) and o not in text and len(o) > 2]
    return text.replace(name, rng.choice(others), 1) if others else None


def role(text: str, m: Material, rng: random.Random) -> str | None:
    """Who did what to whom: the sentence's first name (its subject or speaker) swapped with a name
    that stands after the first lower-case word following it (an object or complement)."""
    runs = _name_spans(text)
    if len(runs) < 2 or runs[0][0] > 40:
        return None
    (a0, a1), rest = runs[0], runs[1:]
    # a word that gives roles stands between them: "Pfizer and BioNTech", or the items of a list
    # ("the World Road Transport Organization, the International Air Transport Association"), trade
    # places with no change of meaning
    first = text[a0:a1]
    later = [(s, e) for s, e in rest
             if any(w not in STOPWORDS for w in re.findall(r"\b[a-z]{3,}\b", text[a1:s]))]
    later = [(s, e) for s, e in later if not names_match(first, text[s:e])]
    if not later:
        return None
    s, e = rng.choice(later)
    return text[:a0] + text[s:e] + text[a1:s] + first + text[e:]


def date(text: str, m: Material, rng: random.Random) -> str | None:
    for names in (_DAYS, _MONTHS):
        hit = re.search(r"\b(" + "|".join(names) + r")\b", text)
        if hit:
            return text[: hit.start()] + rng.choice([n for n in names if n != hit.group()]) + text[hit.end() :]
    return None


PERTURBATIONS: dict[str, Callable[[str, Material, random.Random], str | None]] = {
    "control": lambda text, m, rng: text, "negation": negation, "antonym": antonym, "figure": figure,
    "entity": entity, "role": role, "date": date,
}


# ----------------------------------------------------------------------------- strict validation

@dataclass
class Tally:
    tried: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TYPES, 0))
    shipped: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TYPES, 0))
    examples: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def add(self, kind: str, shipped: bool, before: str = "", after: str = "") -> None:
        self.tried[kind] += 1
        self.shipped[kind] += shipped
        if shipped and kind != "control":
            self.examples.setdefault(kind, []).append((before, after))

    def rows(self) -> dict[str, dict[str, Any]]:
        return {k: {"tried": self.tried[k], "shipped": self.shipped[k],
                    "rate": round(self.shipped[k] / self.tried[k], 3) if self.tried[k] else None} for k in TYPES}


def validates(brief: dict[str, Any], articles: Sequence[Article]) -> bool:
    try:
        StoryBrief.model_validate(brief, context={"articles": list(articles)})
    except ValueError:
        return False
    return True


def strict_suite(records: Iterable[tuple[dict[str, Any], Sequence[Article]]], seed: int = 0) -> Tally:
    """Perturb one summary or key-point sentence at a time; count the briefs that still validate."""
    tally = Tally()
    for brief, articles in records:
        material = Material.of(articles)
        tally.add("control", validates(brief, articles))
        places = [(f, i) for f in ("summary", "key_points") for i in range(len(brief.get(f) or []))]
        for kind in TYPES[1:]:
            rng = random.Random(f"{seed}:{kind}:{brief.get('title')}")
            done = 0
            for f, i in places:
                before = brief[f][i]["text"]
                after = PERTURBATIONS[kind](before, material, rng)
                if not after or after == before:
                    continue
                changed = json.loads(json.dumps(brief))
                changed[f][i]["text"] = after
                tally.add(kind, validates(changed, articles), before, after)
                done += 1
                if done >= PER_BRIEF:
                    break
    return tally


# ----------------------------------------------------------------------------- inside the pipeline

_FACT = re.compile(r"^\[(\d+)\] \((?:[^()\n]|\([^()\n]*\))*\) (.+)$", re.MULTILINE)


def scripted(kind: str, material: Material, seed: int, record: dict[str, Any]) -> Callable[[Any], dict[str, Any] | str]:
    """A model that copies the fact sheet into its draft, one sentence perturbed by ``kind``."""

    def answer(request: Any) -> dict[str, Any] | str:
        content = "\n".join(m.get("content", "") for m in request.messages if m.get("role") == "user")
        if request.purpose == "prose":  # the headline, then the first facts copied as one paragraph
            return _prose_answer(kind, material, seed, record, content)
        offered = [(int(n), t.strip()) for n, t in _FACT.findall(content)]
        if request.purpose.startswith("extract"):
            return {"facts": [t for _, t in offered[:4]], "actors": []}
        schema = request.schema or {}
        sentence = schema.get("$defs", {}).get("DraftSentence", {}).get("properties", {})
        key = "facts" if "facts" in sentence else "sources"
        longest = sentence.get("text", {}).get("maxLength", 320)
        high = schema.get("properties", {}).get("summary", {}).get("maxItems", 4)
        picks = [(n, t) for n, t in offered if len(t) <= longest][:high]
        rng = random.Random(f"{seed}:{kind}")
        out = []
        for n, t in picks:
            changed = PERTURBATIONS[kind](t, material, rng) if "changed" not in record else None
            if changed and changed != t and kind != "control":
                record.update(changed=changed, original=t)
                t = changed
            out.append({"text": t, key: [n]})
        record.setdefault("copied", [t for _, t in picks])
        return {"title": " ".join(offered[0][1].split()[:10]).rstrip(",.;:") if offered else "News",
                "summary": out, "key_points": [], "perspectives": [], "topics": ["News"]}

    return answer


_PROSE_FACTS = re.compile(r"^- (.+)$", re.MULTILINE)
PROSE_COPIED = 4  # facts the scripted model copies into its paragraph


def _prose_answer(kind: str, material: Material, seed: int, record: dict[str, Any], content: str) -> str:
    from summarizer.pipeline.requests import PROSE_HEADER

    listed = content.split(PROSE_HEADER, 1)[-1].split("\n\n", 1)[0]
    picks = [t.strip() for t in _PROSE_FACTS.findall(listed)][:PROSE_COPIED]
    rng = random.Random(f"{seed}:{kind}")
    out = []
    for t in picks:
        changed = PERTURBATIONS[kind](t, material, rng) if "changed" not in record else None
        if changed and changed != t and kind != "control":
            record.update(changed=changed, original=t)
            t = changed
        out.append(t)
    record.setdefault("copied", picks)
    title = " ".join(picks[0].split()[:10]).rstrip(",.;:") if picks else "News"
    return title + "\n\n" + " ".join(out)


def _forms(text: str, brief: StoryBrief, articles: Sequence[Article]) -> set[str]:
    """``text`` as the pipeline may ship it: as written, or with its people named in full at first
    mention (:mod:`summarizer.pipeline.introductions`), which changes no meaning."""
    from summarizer.pipeline.introductions import introduce

    one = StoryBrief(title="t", summary=[{"text": text, "sources": [articles[0].id]}], entities=brief.entities)
    return {" ".join(text.split()), " ".join(introduce(one, articles).summary[0].text.split())}


def pipeline_suite(cases: Iterable[Sequence[Article]], seed: int = 0, draft: Literal["prose", "json"] = "prose") -> Tally:
    """Run the pipeline per case and type with the scripted model; count perturbed sentences that ship.
    ``draft`` is the pipeline's: the model's prose, or its JSON draft."""
    from summarizer.backends.testing import FunctionBackend
    from summarizer.config import Config
    from summarizer.pipeline import Pipeline

    tally = Tally()
    for articles in cases:
        material = Material.of(articles)
        for kind in TYPES:
            record: dict[str, Any] = {}
            with tempfile.TemporaryDirectory() as tmp:
                backend = FunctionBackend(scripted(kind, material, seed, record))
                brief = Pipeline(backend, Config(cache_dir=Path(tmp), use_cache=False, draft=draft)).run(list(articles))
            shipped = {" ".join(s.text.split()) for s in [*brief.summary, *brief.key_points]}
            if kind == "control":
                for t in record.get("copied", []):
                    tally.add("control", bool(_forms(t, brief, articles) & shipped))
            elif "changed" in record:
                tally.add(kind, bool(_forms(record["changed"], brief, articles) & shipped), record["original"],
                          record["changed"])
    return tally


# ----------------------------------------------------------------------------- the command

def saved_briefs(folder: Path, cases: Mapping[str, Sequence[Article]]) -> list[tuple[dict[str, Any], Sequence[Article]]]:
    """(brief, its cluster's articles) of every eval record in ``folder`` whose cluster is known."""
    out = []
    for path in sorted(folder.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        if record.get("brief") and record.get("cluster_id") in cases:
            out.append((record["brief"], cases[record["cluster_id"]]))
    return out


def run(dataset: str, briefs: Path | None, pipeline: bool, limit: int | None = None, seed: int = 0,
        draft: Literal["prose", "json"] = "prose") -> dict[str, Any]:
    """The suite on a dataset: strict validation of the saved briefs in ``briefs`` (when given), and
    the pipeline with a scripted model (when ``pipeline``). Per type: tried, shipped, rate."""
    from .datasets import load_dataset

    ds = load_dataset(dataset, limit)
    cases = {c.id: c.articles for c in ds.cases}
    result: dict[str, Any] = {"dataset": ds.name, "clusters": len(cases)}
    if briefs is not None:
        strict = strict_suite(saved_briefs(briefs, cases), seed)
        result["strict"] = strict.rows()
        result["strict_examples"] = {k: v[:5] for k, v in strict.examples.items()}
    if pipeline:
        piped = pipeline_suite(cases.values(), seed, draft)
        result["draft"] = draft
        result["pipeline"] = piped.rows()
        result["pipeline_examples"] = {k: v[:5] for k, v in piped.examples.items()}
    return result


def table(result: dict[str, Any]) -> str:
    """One Markdown row per type: perturbed sentences that ship (strict, pipeline)."""
    lines = ["| type | strict: shipped / tried | pipeline: shipped / tried |", "|---|---|---|"]
    for kind in TYPES:
        cells = []
        for setting in ("strict", "pipeline"):
            row = result.get(setting, {}).get(kind)
            cells.append(f"{row['shipped']} / {row['tried']} ({row['rate']:.0%})" if row and row["tried"] else "–")
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
