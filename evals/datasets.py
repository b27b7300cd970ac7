"""Eval datasets: the seed cluster and any file in the cluster JSONL format.

A dataset is a list of :class:`EvalCase`: the articles to summarize plus
whatever references exist for them (a reference summary, reference entity
lists, key facts). Every reference is optional; a scorer whose reference is
missing reports nothing rather than zero.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summarizer.errors import InputError
from summarizer.schema import Article, Cluster

EVALS_DIR = Path(__file__).resolve().parent
DATA_DIR = EVALS_DIR / "data"
SEED_DIR = DATA_DIR / "seed"
SEED_REFERENCE_PAGE = "000_23737e9bac2fadbf.txt"
# The shared eval sets live outside the repository, never inside it: their texts belong to their
# publishers. A name for each file; `--dataset NAME` looks it up in the folders evalset_dirs() lists.
SHARED_SETS: dict[str, str] = {
    "dev": "allsides-dev.jsonl",
    "allsides-dev": "allsides-dev.jsonl",
    "multinews-dev": "multinews-dev.jsonl",
    "basil-dev": "basil-quotes-dev.jsonl",
}
EVALSETS_ENV = "SUMMARIZER_EVALSETS"  # a folder holding the files of SHARED_SETS
# Where a checkout finds them: ../shared/evalsets beside the repository.
DEFAULT_DEV_SET = EVALS_DIR.parent.parent / "shared" / "evalsets" / SHARED_SETS["dev"]
ENTITY_KINDS = ("persons", "organizations", "countries")


@dataclass(frozen=True)
class Fact:
    """A fact a good brief states. ``all_of`` holds groups of regexes; each group needs one match."""

    id: str
    description: str
    all_of: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Reference:
    """What a cluster's brief is compared with. Every field may be empty."""

    summary: str = ""
    framing: str = ""
    quotes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    persons: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()

    def entities(self, kind: str) -> tuple[str, ...]:
        return tuple(getattr(self, kind))

    @property
    def has_entities(self) -> bool:
        return any(self.entities(k) for k in ENTITY_KINDS)


@dataclass
class EvalCase:
    """One cluster to summarize and score."""

    id: str
    title: str
    articles: list[Article]
    reference: Reference | None = None
    facts: list[Fact] = field(default_factory=list)
    # Entities hand-annotated from the articles themselves (seed only): a recall target
    # that, unlike the reference page's twelve-source lists, a perfect brief can reach.
    gold_entities: dict[str, tuple[str, ...]] | None = None

    def content_hash(self) -> str:
        """A hash of what the model sees, so a cached brief is reused only for the same input."""
        material = json.dumps(
            [[a.id, a.outlet, a.title, a.text] for a in self.articles], ensure_ascii=False, sort_keys=True
        )
        return hashlib.sha256(material.encode("utf-8")).hexdigest()[:16]


@dataclass
class Dataset:
    name: str
    cases: list[EvalCase]
    source: str = ""


# --------------------------------------------------------------------------- seed


def parse_reference_page(text: str) -> dict[str, Any]:
    """Parse the seed 000 story page into title, summary, quotes, lists of sources and entities.

    The page is a flat text dump: a title, 'ai generated text', the summary
    paragraph, one quote per line, a storyline name followed by '- ' related
    headlines, then sections ('sources', 'perspectives', 'countries',
    'organizations', 'persons') of '- N.Name' items.
    """
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    try:
        start = lines.index("ai generated text")
    except ValueError:
        raise InputError(
            "not a reference page: no 'ai generated text' marker", path=SEED_REFERENCE_PAGE
        ) from None
    title = lines[start - 1]
    sections = ("sources", "perspectives", "countries", "organizations", "persons")
    body: list[str] = []
    i = start + 1
    while i < len(lines) and lines[i] not in sections:
        body.append(lines[i])
        i += 1
    # The body is: summary, quotes..., storyline, '- related headline'...
    first_item = next((k for k, ln in enumerate(body) if ln.startswith("- ")), len(body))
    prose = body[:first_item]
    storyline = prose[-1] if len(prose) > 2 else ""
    quotes = prose[1:-1] if storyline else prose[1:]
    related = [ln[2:].strip() for ln in body[first_item:] if ln.startswith("- ")]
    lists: dict[str, list[str]] = {s: [] for s in sections}
    current: str | None = None
    for ln in lines[i:]:
        if ln in sections:
            current = ln
        elif current and ln.startswith("- "):
            lists[current].append(re.sub(r"^\d+\.\s*", "", ln[2:]).strip())
    return {
        "title": title,
        "summary": prose[0] if prose else "",
        "quotes": quotes,
        "storyline": storyline,
        "related": related,
        "sources": lists["sources"],
        "topics": lists["perspectives"],
        "countries": lists["countries"],
        "organizations": lists["organizations"],
        "persons": lists["persons"],
    }


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("file not found; evals/data ships with the repository", path=str(path)) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc}", path=str(path)) from None


def load_facts(path: Path = DATA_DIR / "seed_facts.json") -> tuple[list[Fact], dict[str, tuple[str, ...]]]:
    """The seed cluster's key facts and its hand-annotated entities."""
    data = _read_json(path)
    facts = [
        Fact(id=f["id"], description=f["description"], all_of=tuple(tuple(g) for g in f["all_of"]))
        for f in data["facts"]
    ]
    gold = {k: tuple(data.get("entities", {}).get(k, ())) for k in ENTITY_KINDS}
    return facts, gold


def _reference_from(data: dict[str, Any]) -> Reference:
    return Reference(
        summary=str(data.get("summary") or ""),
        framing=str(data.get("framing") or ""),
        **{
            k: tuple(str(x) for x in data.get(k) or ())
            for k in ("quotes", "sources", "topics", *ENTITY_KINDS)
        },
    )


def load_seed(seed_dir: Path = SEED_DIR) -> Dataset:
    """Articles 001-004 of the seed, with page 000 as reference and the key facts from evals/data."""
    from summarizer.ingest import load_articles

    paths = sorted(p for p in seed_dir.glob("*.txt") if p.name != SEED_REFERENCE_PAGE)
    articles = load_articles(*paths)
    reference = _reference_from(_read_json(DATA_DIR / "seed_reference.json"))
    facts, gold = load_facts()
    case = EvalCase(
        id="seed-putin-nk-troops",
        title="North Korea troops in Russia not denied by Putin",
        articles=articles,
        reference=reference,
        facts=facts,
        gold_entities=gold,
    )
    return Dataset(name="seed", cases=[case], source=str(seed_dir))


def case_from_cluster(cluster: Cluster) -> EvalCase:
    """An EvalCase from one record of the cluster JSONL format."""
    return EvalCase(
        id=cluster.id,
        title=cluster.title,
        articles=list(cluster.articles),
        reference=_reference_from(cluster.reference) if cluster.reference else None,
    )


def load_jsonl(path: str | Path) -> Dataset:
    """Every cluster of a cluster JSONL file (see evals/README.md for the format)."""
    from summarizer.ingest import load_clusters

    p = Path(path)
    if not p.exists():
        raise InputError("dataset file not found", path=str(p))
    clusters = load_clusters(str(p))
    return Dataset(name=p.stem, cases=[case_from_cluster(c) for c in clusters], source=str(p))


def evalset_dirs() -> list[Path]:
    """The folders searched for a shared eval set, in order: ``$SUMMARIZER_EVALSETS``, then
    ``shared/evalsets`` in the working folder and beside it, then beside the repository (a checkout).
    An installed harness has no repository around it, so the working folder comes first."""
    cwd = Path.cwd()
    env = os.environ.get(EVALSETS_ENV)
    dirs = [Path(env)] if env else []
    dirs += [cwd / "shared" / "evalsets", cwd.parent / "shared" / "evalsets", DEFAULT_DEV_SET.parent]
    return list(dict.fromkeys(d.resolve() for d in dirs))


def find_evalset(name: str) -> Path:
    """The file of the shared eval set ``name`` (a key of :data:`SHARED_SETS`); InputError listing
    every folder looked in, and how to point at the right one, when it is in none."""
    file = SHARED_SETS[name]
    dirs = evalset_dirs()
    for folder in dirs:
        if (folder / file).is_file():
            return folder / file
    raise InputError(f"dataset {name!r} ({file}) not found; looked in {', '.join(map(str, dirs))}. Set "
                     f"{EVALSETS_ENV} to the folder that holds it, or pass the file's path as --dataset")


def load_dataset(name: str, limit: int | None = None) -> Dataset:
    """``seed``, a shared eval set by name (``dev``: the AllSides dev set; see :data:`SHARED_SETS`),
    or a path to a cluster JSONL file."""
    if name == "seed":
        ds = load_seed()
    elif name in SHARED_SETS:
        ds = load_jsonl(find_evalset(name))
    else:
        ds = load_jsonl(name)
    if limit is not None:
        ds.cases = ds.cases[: max(0, limit)]
    return ds
