"""Benchmark inputs built from real article text: the seed cluster and the AllSides dev set.

No text is invented. Larger inputs recombine real sentences, so their vocabulary, sentence length
and entity density are those of news:

* :func:`real_stories` reads the 40 dev clusters (120 excerpts, read in place from
  ``../shared/evalsets/allsides-dev.jsonl``) and the seed cluster (4 articles, through ingest);
* :func:`variant` makes a new article from the sentences of two or three real stories, renames
  capitalised words consistently (70% of them) and redraws every number, so near-duplicate
  detection (5-gram Jaccard) sees a new article, not a copy;
* :func:`many_articles` and :func:`huge_article` fill a byte budget with such text;
* :func:`related_cluster` orders the real articles by TF-IDF similarity to one story, for clusters
  of one story "as far as possible, then related ones".
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarizer.schema import Article

ROOT = Path(__file__).resolve().parent.parent
DEV_SET = ROOT.parent / "shared" / "evalsets" / "allsides-dev.jsonl"
SEEDS = ROOT / "examples" / "putin-nk-troops"
SEED_STORY = "seed-putin-nk-troops"
_NAME = re.compile(r"\b[A-Z][a-z]{2,}\b")
_NUMBER = re.compile(r"\d+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'\u201c])")


@dataclass(frozen=True)
class Story:
    """One real story: its id, title and articles (as loaded: ids, outlets, titles, clean text)."""

    id: str
    title: str
    articles: tuple[Article, ...]

    def sentences(self) -> list[str]:
        """Prose sentences (over 40 characters) of every article, in order."""
        return [s for a in self.articles for s in split(a.text) if len(s) > 40]


def split(text: str) -> list[str]:
    """Rough sentence split: enough to recombine text, not used for any measurement."""
    return [s.strip() for para in text.split("\n") for s in _SENTENCE_END.split(para) if s.strip()]


def real_stories(dev_set: Path = DEV_SET, seeds: Path = SEEDS) -> list[Story]:
    """The seed story first, then the dev stories in file order (dev is skipped if absent)."""
    from summarizer.ingest import load_articles, load_clusters

    seed = Story(SEED_STORY, "Putin does not deny North Korean troops in Russia", tuple(load_articles(seeds)))
    stories = [seed]
    if dev_set.exists():
        for c in load_clusters(str(dev_set)):
            stories.append(Story(c.id, c.title, tuple(a.model_copy(update={"id": f"{c.id}-{a.id}"})
                                                      for a in c.articles)))
    return stories


def _renamer(rng: random.Random, names: list[str]) -> Any:
    mapping: dict[str, str] = {}

    def swap(m: re.Match[str]) -> str:
        word = m.group()
        if word not in mapping:
            mapping[word] = rng.choice(names) if rng.random() < 0.7 else word
        return mapping[word]

    return swap


def _renumber(rng: random.Random) -> Any:
    def swap(m: re.Match[str]) -> str:
        digits = m.group()
        first = str(rng.randint(1, 9)) if len(digits) > 1 or digits != "0" else "0"
        return first + "".join(str(rng.randint(0, 9)) for _ in digits[1:])

    return swap


class Recombiner:
    """Makes new articles from real sentences; deterministic for a given seed."""

    def __init__(self, stories: list[Story], seed: int = 0) -> None:
        self.rng = random.Random(seed)
        self.pools = [s.sentences() for s in stories if s.sentences()]
        self.titles = [s.title for s in stories if s.sentences()]
        self.outlets = sorted({a.outlet for s in stories for a in s.articles if a.outlet}) or ["Outlet"]
        self.names = sorted({w for pool in self.pools for s in pool for w in _NAME.findall(s)})

    def variant(self, target_chars: int, *, rename: bool = True) -> tuple[str, str]:
        """(title, text) of about ``target_chars``: sentences of 2-3 real stories, paragraphs of 1-3."""
        rng = self.rng
        picks = rng.sample(range(len(self.pools)), min(len(self.pools), rng.choice((2, 3))))
        pool = [s for i in picks for s in self.pools[i]]
        rng.shuffle(pool)
        name = _renamer(rng, self.names) if rename else (lambda m: m.group())
        number = _renumber(rng)
        paragraphs: list[str] = []
        size = 0
        while size < target_chars:
            chunk = [pool[(len(paragraphs) * 3 + k) % len(pool)] for k in range(rng.randint(1, 3))]
            para = " ".join(_NUMBER.sub(number, _NAME.sub(name, s)) for s in chunk)
            paragraphs.append(para)
            size += len(para) + 2
            if len(paragraphs) * 3 > len(pool):  # the pool is used up: a fresh mix, same article
                pool = pool[1:] + pool[:1]
                rng.shuffle(pool)
        title = _NUMBER.sub(number, _NAME.sub(name, self.titles[picks[0]]))
        return title, "\n\n".join(paragraphs)

    def record(self, i: int, target_chars: int) -> dict[str, Any]:
        title, text = self.variant(target_chars)
        return {"id": f"v{i:06d}", "title": title, "text": text, "source": self.rng.choice(self.outlets),
                "date": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"}


def many_articles(total_bytes: int, stories: list[Story], seed: int = 0) -> list[dict[str, Any]]:
    """Records of news-sized articles (2-8 KB) adding up to about ``total_bytes`` of UTF-8 text."""
    gen = Recombiner(stories, seed)
    out: list[dict[str, Any]] = []
    size = 0
    while size < total_bytes:
        rec = gen.record(len(out), min(gen.rng.randint(2000, 8000), max(200, total_bytes - size)))
        out.append(rec)
        size += len(rec["text"].encode("utf-8"))
    return out


def huge_article(total_bytes: int, stories: list[Story], seed: int = 0) -> list[dict[str, Any]]:
    """One record whose text is about ``total_bytes``: many recombined sections, one after another."""
    gen = Recombiner(stories, seed)
    parts: list[str] = []
    size = 0
    while size < total_bytes:
        _, text = gen.variant(min(6000, max(200, total_bytes - size)))
        parts.append(text)
        size += len(text.encode("utf-8")) + 2
    return [{"id": "huge", "title": gen.titles[0], "text": "\n\n".join(parts), "source": gen.outlets[0],
             "date": "2024-10-25"}]


def related_cluster(n: int, stories: list[Story], story_id: str = SEED_STORY, seed: int = 0) -> list[Article]:
    """``n`` articles: the story's own first, then the most similar real articles (TF-IDF cosine to
    the story's own text), then, past the real ones, recombinations of those related articles
    (names kept, numbers redrawn, sentences of 2-3 of them mixed) so they stay on the topic."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    by_id = {s.id: s for s in stories}
    if story_id not in by_id:
        raise SystemExit(f"unknown story {story_id!r}; one of {', '.join(list(by_id)[:5])}, ...")
    own = list(by_id[story_id].articles)
    others = [a for s in stories if s.id != story_id for a in s.articles]
    if others:
        vec = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit([a.text for a in own + others])
        centre = vec.transform([" ".join(a.text for a in own)])
        sims = cosine_similarity(vec.transform([a.text for a in others]), centre).ravel()
        others = [others[i] for i in sorted(range(len(others)), key=lambda i: (-sims[i], i))]
    real = (own + others)[:n]
    if len(real) >= n:
        return real
    gen = Recombiner([Story(f"r{i}", a.title, (a,)) for i, a in enumerate(real)], seed)
    extra = []
    for i in range(n - len(real)):
        title, text = gen.variant(gen.rng.randint(1500, 4000), rename=False)
        extra.append(Article(id=f"mix{i:04d}", title=title, text=text, outlet=gen.rng.choice(gen.outlets)))
    return real + extra
