"""Group a pile of articles into story clusters: TF-IDF over title and lead, plus shared entities.

``cluster_articles(articles)`` returns :class:`~summarizer.schema.Cluster` objects ranked by how
many outlets cover each story; ``write_clusters`` writes them in the cluster-JSONL format that
``summarizer batch`` reads. The method, in the order it runs:

1. **Features.** Each article is its title (repeated, since a headline is the densest statement
   of the story) plus its lead, lower-cased, stop words removed, lightly stemmed; TF-IDF with
   sublinear term frequency. A second TF-IDF matrix holds its entities: runs of capitalised words
   (people, places, organisations) in the title and lead. Both are sparse and L2-normalised.
2. **Similarity graph.** ``w_text * cos(text) + w_entity * cos(entities)``, computed in row blocks
   of at most ``BLOCK_CELLS`` similarities, so memory stays linear in ``n``, never ``O(n^2)``;
   each article keeps at most ``MAX_NEIGHBOURS`` edges (its strongest), so a flood of look-alike
   entries cannot fill memory with ``n^2`` edges either. When both articles carry a date, the score
   decays once they are more than ``date_grace_days`` apart: the same topic weeks apart is a new
   story. Only pairs at or above the threshold are kept (a sparse graph).
3. **Clusters.** Connected components of that graph are the blocks; inside each, complete-linkage
   agglomerative clustering with the same threshold cuts the chains that components alone would
   follow (A like B, B like C, A unlike C). Complete linkage at a threshold never merges across
   components, so the result is exact, and each block is small.
4. **Duplicates.** Wire copies (word 5-gram Jaccard >= 0.8, found by
   :func:`summarizer.ingest.dedupe.find_duplicates` in linear time) are blocked first: an original
   and its copies are one node of the linkage, its similarities those of its members as linkage
   would combine them (the weakest pair, under complete linkage), read from at most
   ``COPIES_COMPARED`` of them; each copy joins its original's cluster, marked with
   ``duplicate_of`` there. 100,000 copies of one entry are one node, not 10^10 edges.
   Singletons are kept as one-article stories.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

import numpy as np

# SciPy and scikit-learn ship no type information; their results are typed where they enter our code.
from scipy.cluster.hierarchy import fcluster, linkage  # type: ignore[import-untyped]
from scipy.sparse import coo_matrix, csr_matrix  # type: ignore[import-untyped]
from scipy.sparse.csgraph import connected_components  # type: ignore[import-untyped]
from scipy.spatial.distance import squareform  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer  # type: ignore[import-untyped]

from ..atomic import write_atomic
from ..errors import ConfigError, InputError
from ..ingest import find_duplicates
from ..schema.article import Article, Cluster
from ..text.names import capital_runs
from ..text.outlets import outlet_for_url
from ..text.words import content, strip_possessive, term_stem, words

__all__ = ["ClusterOptions", "cluster_articles", "cluster_labels", "cluster_record", "outlet_key", "write_clusters"]

_URL_DATE = re.compile(r"/(20\d\d)[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:/|-|$)")
BLOCK_ROWS = 512  # rows of the similarity matrix computed at once, at most...
BLOCK_CELLS = 4_000_000  # ...and at most this many similarities (16 MB of float32 per matrix)
MAX_NEIGHBOURS = 256  # edges an article keeps, its strongest: far above any real story's size
COPIES_COMPARED = 16  # members of a group of wire copies whose similarities stand for the group
MAX_DENSE = 3000  # largest block given to linkage as a dense matrix (3000^2 float64 = 72 MB)


@dataclass(frozen=True)
class ClusterOptions:
    """Knobs of :func:`cluster_articles`; the defaults are tuned on the pooled AllSides dev set.

    ``threshold`` is the similarity two articles (every pair, under complete linkage) need to
    share a story: lower merges more, higher splits more (docs/operations.md, "Quality on real data", shows the trade).
    """

    threshold: float = 0.12
    entity_weight: float = 0.15  # share of the score that comes from shared entities
    title_repeats: int = 3  # the title counts this many times in the text features
    lead_chars: int = 1000  # how much of the body is read: the lead says what the story is
    date_grace_days: float = 1.0  # articles this close in time are not penalised
    date_decay_days: float = 2.0  # beyond the grace, similarity falls by e every this many days
    linkage: Literal["complete", "average", "single"] = "complete"

    def check(self) -> None:
        """ConfigError naming the bad option, so a typo fails before any work is done."""
        if not 0 < self.threshold <= 1:
            raise ConfigError(f"cluster threshold must be in (0, 1], not {self.threshold}")
        if not 0 <= self.entity_weight <= 1:
            raise ConfigError(f"entity weight must be in [0, 1], not {self.entity_weight}")
        if self.title_repeats < 0 or self.lead_chars < 0 or self.date_decay_days <= 0:
            raise ConfigError("title_repeats and lead_chars must be >= 0 and date_decay_days > 0")
        if self.linkage not in ("complete", "average", "single"):
            raise ConfigError(f"linkage must be complete, average or single, not {self.linkage!r}")


# --------------------------------------------------------------------------- features


def _terms(doc: str) -> list[str]:
    return [term_stem(w) for w in content(words(doc.lower()), stopwords=ENGLISH_STOP_WORDS, min_len=2)]


def _lead(article: Article, chars: int) -> str:
    text = article.text[:chars]
    return text if len(article.text) <= chars else text.rsplit(" ", 1)[0]


def _entities(text: str) -> list[str]:
    """Capitalised runs ("Joe Manchin", "Supreme Court", "Taiwan"), minus sentence-initial words."""
    out: set[str] = set()
    for run in capital_runs(text):
        toks = [t for _, _, t in run]
        while toks and toks[0].lower() in ENGLISH_STOP_WORDS:
            toks = toks[1:]
        name = " ".join(toks).lower()
        if len(name) > 2:
            out.add(strip_possessive(name))
    return sorted(out)


def features(articles: Sequence[Article], opts: ClusterOptions) -> tuple[csr_matrix, csr_matrix]:
    """(text TF-IDF, entity TF-IDF), rows L2-normalised; an empty vocabulary gives an all-zero matrix."""
    leads = [_lead(a, opts.lead_chars) for a in articles]
    docs = [(a.title + " ") * opts.title_repeats + lead for a, lead in zip(articles, leads)]
    ents = [_entities(a.title + ".\n" + lead) for a, lead in zip(articles, leads)]
    return _tfidf(docs, _terms), _tfidf(ents, lambda names: names, binary=True)


def _tfidf(docs: Sequence[Any], analyzer: Any, *, binary: bool = False) -> csr_matrix:
    vectorizer = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, binary=binary, dtype=np.float32)
    try:
        return csr_matrix(vectorizer.fit_transform(docs))
    except ValueError:  # no terms at all (one-word titles in a language with no stop words, say)
        return csr_matrix((len(docs), 1), dtype=np.float32)


def _date_from_url(url: str | None) -> datetime | None:
    """/2021/10/18/ in a news URL is its publication day: a date for articles without one."""
    m = _URL_DATE.search(url or "")
    return datetime(int(m[1]), int(m[2]), int(m[3]), 12, tzinfo=timezone.utc) if m else None


def aware(when: datetime) -> datetime:
    """A publication time with its zone; a naive one is read as UTC (as every step here reads it)."""
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _days(articles: Sequence[Article]) -> np.ndarray:
    """Publication time in days (NaN when unknown); naive times are read as UTC."""
    out = np.full(len(articles), np.nan)
    for i, a in enumerate(articles):
        when = a.published_at or _date_from_url(a.url)
        if when is not None:
            out[i] = aware(when).timestamp() / 86400
    return out


# --------------------------------------------------------------------------- graph and linkage


def _graph(x: csr_matrix, e: csr_matrix, days: np.ndarray, opts: ClusterOptions) -> csr_matrix:
    """The similarity graph: edges >= threshold, each row's strongest ``MAX_NEIGHBOURS``, symmetric."""
    n = x.shape[0]
    xt, et = x.T.tocsc(), e.T.tocsc()
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    step = max(1, min(BLOCK_ROWS, BLOCK_CELLS // max(n, 1)))
    for start in range(0, n, step):
        stop = min(start + step, n)
        sim = (1 - opts.entity_weight) * (x[start:stop] @ xt).toarray()
        sim += opts.entity_weight * (e[start:stop] @ et).toarray()
        gap = np.abs(days[start:stop, None] - days[None, :])
        decay = np.exp(-np.clip(gap - opts.date_grace_days, 0, None) / opts.date_decay_days)
        sim *= np.where(np.isnan(gap), 1.0, decay)
        local = np.arange(stop - start)
        sim[local, local + start] = 0  # no self-loops
        crowded = np.flatnonzero((sim >= opts.threshold).sum(axis=1) > MAX_NEIGHBOURS)
        for i in crowded:  # keep a crowded row's strongest edges only
            weakest = np.argpartition(sim[i], -MAX_NEIGHBOURS)[:-MAX_NEIGHBOURS]
            sim[i, weakest] = 0
        r, c = np.nonzero(sim >= opts.threshold)
        rows.append(r + start)
        cols.append(c)
        vals.append(sim[r, c].astype(np.float32))

    def cat(parts: list[np.ndarray], dtype: Any) -> np.ndarray:
        return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)

    graph = coo_matrix((cat(vals, np.float32), (cat(rows, np.int64), cat(cols, np.int64))), shape=(n, n)).tocsr()
    return graph.maximum(graph.T).tocsr()  # a pair cut from one crowded row only is kept from the other


def _copies(articles: Sequence[Article]) -> dict[int, int]:
    """Wire copies, as {copy index: original index}: shingle Jaccard (LSH-blocked, linear), plus the
    ``duplicate_of`` links ingest set; every copy points at an original, never at another copy."""
    index = {a.id: i for i, a in enumerate(articles)}
    found = {index[c]: index[o] for c, o in find_duplicates(articles).items()}
    for i, a in enumerate(articles):
        if a.duplicate_of in index and i not in found and index[a.duplicate_of] != i:
            found[i] = index[a.duplicate_of]
    for i in list(found):  # ingest's links may chain (a copy of a copy): follow them to the original
        seen = {i}
        while found[i] in found and found[i] not in seen:
            seen.add(found[i])
            found[i] = found[found[i]]
        if found[i] in found:  # a cycle of links: the article stands alone
            del found[i]
    return found


def _link_block(sub: np.ndarray, opts: ClusterOptions) -> np.ndarray:
    """Labels for one connected block: agglomerative clustering cut at the threshold."""
    if len(sub) == 1:
        return np.zeros(1, dtype=int)
    dist = 1.0 - np.clip(sub, 0.0, 1.0)
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform(dist, checks=False), method=opts.linkage)
    # fcluster merges at distance <= t; similarity >= threshold means distance <= 1 - threshold.
    return fcluster(tree, t=1.0 - opts.threshold + 1e-9, criterion="distance") - 1


def _split_big(graph: csr_matrix, members: np.ndarray, threshold: float) -> list[np.ndarray]:
    """A block too big for a dense matrix is split at a stricter threshold until every part fits."""
    sub = graph[members][:, members]
    sub = sub.multiply(sub >= threshold).tocsr()
    _, labels = connected_components(sub, directed=False)
    parts = [members[labels == k] for k in range(labels.max() + 1)]
    out: list[np.ndarray] = []
    for part in parts:
        out.extend(_split_big(graph, part, threshold + 0.05) if len(part) > MAX_DENSE else [part])
    return out


def _members(keep: np.ndarray, copies: dict[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """(articles whose similarities are computed, the group of each): every original and up to
    ``COPIES_COMPARED - 1`` of its copies, so a flood of copies costs no more than a few."""
    slot = {int(o): g for g, o in enumerate(keep)}
    taken = dict.fromkeys(slot, 1)
    used, group = list(map(int, keep)), list(range(len(keep)))
    for c, o in sorted(copies.items()):
        if taken[o] < COPIES_COMPARED:
            taken[o] += 1
            used.append(c)
            group.append(slot[o])
    return np.array(used, dtype=np.int64), np.array(group, dtype=np.int64)


def _group_graph(graph: csr_matrix, group: np.ndarray, groups: int, opts: ClusterOptions) -> csr_matrix:
    """The graph between groups (an original with its copies), as linkage would see them once it
    merged each group first: complete linkage keeps the weakest member pair, and only if every
    pair is an edge; single the strongest; average the mean (a missing pair counts 0)."""
    coo = graph.tocoo()
    gi, gj = group[coo.row], group[coo.col]
    across = gi != gj
    gi, gj, val = gi[across], gj[across], coo.data[across]
    key, inverse = np.unique(gi * groups + gj, return_inverse=True)
    size = np.bincount(group, minlength=groups)
    pairs = size[key // groups] * size[key % groups]
    count = np.bincount(inverse, minlength=len(key))
    if opts.linkage == "complete":
        agg = np.full(len(key), np.inf, dtype=np.float32)
        np.minimum.at(agg, inverse, val)
        agg[count < pairs] = 0
    elif opts.linkage == "single":
        agg = np.zeros(len(key), dtype=np.float32)
        np.maximum.at(agg, inverse, val)
    else:
        agg = (np.bincount(inverse, weights=val, minlength=len(key)) / pairs).astype(np.float32)
    strong = agg >= opts.threshold
    return coo_matrix((agg[strong], (key[strong] // groups, key[strong] % groups)), shape=(groups, groups)).tocsr()


def _with_copies(labels: np.ndarray, keep: np.ndarray, copies: dict[int, int], n: int) -> np.ndarray:
    """Labels of the originals (``keep``) spread to every article: a copy takes its original's."""
    out = np.full(n, -1)
    out[keep] = labels
    for c, o in copies.items():
        out[c] = out[o]
    return out


def cluster_labels(articles: Sequence[Article], options: ClusterOptions | None = None) -> np.ndarray:
    """One story label per article (``0..k-1``, in order of first appearance); the core of clustering."""
    return _assign(articles, options)[0]


def _assign(articles: Sequence[Article], options: ClusterOptions | None) -> tuple[np.ndarray, dict[int, int]]:
    """(labels, wire copies as {copy index: original index})."""
    opts = options or ClusterOptions()
    opts.check()
    if not articles:
        return np.zeros(0, dtype=int), {}
    x, e = features(articles, opts)  # IDF from every article, copies included, as always
    copies = _copies(articles)
    keep = np.array([i for i in range(len(articles)) if i not in copies], dtype=np.int64)
    used, group = _members(keep, copies)
    graph = _group_graph(_graph(x[used], e[used], _days(articles)[used], opts), group, len(keep), opts)
    _, blocks = connected_components(graph, directed=False)
    labels = np.full(len(keep), -1)
    next_label = 0
    for block in range(blocks.max() + 1):
        members = np.flatnonzero(blocks == block)
        parts = _split_big(graph, members, opts.threshold + 0.05) if len(members) > MAX_DENSE else [members]
        for part in parts:
            sub = graph[part][:, part].toarray()
            local = _link_block(sub, opts)
            labels[part] = local + next_label
            next_label += int(local.max()) + 1
    labels = _with_copies(labels, keep, copies, len(articles))
    _, first = np.unique(labels, return_index=True)
    order = {old: new for new, old in enumerate(labels[np.sort(first)])}
    return np.array([order[v] for v in labels]), copies


# --------------------------------------------------------------------------- clusters out


def outlet_key(article: Article) -> str:
    """Who published it, for counting outlets: the outlet name, else the web site, else the article."""
    name = article.outlet or outlet_for_url(article.url)
    if not name and article.url:
        name = re.sub(r"^www\.", "", re.sub(r"^[a-z]+://", "", article.url.lower()).split("/", 1)[0])
    return (name or f"article:{article.id}").casefold()


def story_meta(articles: Sequence[Article]) -> dict[str, Any]:
    """What a story's cluster record says of its articles: outlets, copies, first and last publication."""
    dates = sorted(a.published_at.isoformat() for a in articles if a.published_at)
    return {
        "outlets": len({outlet_key(a) for a in articles}),
        "duplicates": sum(1 for a in articles if a.duplicate_of),
        **({"first_published": dates[0], "last_published": dates[-1]} if dates else {}),
    }


def _story(members: list[Article], copies: dict[str, str]) -> Cluster:
    """One Cluster with duplicates marked inside it, a stable id and its headline."""
    arts = [a.model_copy(update={"duplicate_of": copies.get(a.id)}) for a in members]
    digest = hashlib.sha256("\n".join(sorted(a.id for a in arts)).encode()).hexdigest()[:12]
    originals = [a for a in arts if not a.duplicate_of and a.title] or arts
    return Cluster(
        id=f"story-{digest}",
        title=max(originals, key=lambda a: (len(set(_terms(a.title))), -arts.index(a))).title,
        articles=arts,
        meta=story_meta(arts),
    )


def cluster_articles(articles: Sequence[Article], options: ClusterOptions | None = None) -> list[Cluster]:
    """Group ``articles`` into stories, ranked by outlet count (then size, then earliest article).

    Every article ends up in exactly one cluster; a story only one article covers is a cluster
    of one. Near-duplicates (wire copies) share their original's cluster and carry
    ``duplicate_of``. Cluster ids (``story-<hash of member ids>``) are stable, so re-running on
    the same articles gives the same ids and a digest or batch resumes. Article ids must be
    unique (``load_articles`` makes them so).
    """
    ids = [a.id for a in articles]
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise InputError(f"article id {dup!r} occurs more than once; give each article a unique id "
                         "(summarizer.load_articles does when it loads them in one call)")
    labels, copies = _assign(articles, options)
    copy_of = {articles[c].id: articles[o].id for c, o in copies.items()}
    groups: dict[int, list[Article]] = {}
    for art, label in zip(articles, labels):
        groups.setdefault(int(label), []).append(art)
    stories = [_story(members, copy_of) for members in groups.values()]
    return sorted(stories, key=lambda c: (-c.meta["outlets"], -len(c.articles), c.meta.get("first_published", "~")))


def cluster_record(cluster: Cluster) -> dict[str, Any]:
    """A cluster as one cluster-JSONL object (what ``summarizer batch`` and ``load_clusters`` read)."""
    articles = []
    for a in cluster.articles:
        rec: dict[str, Any] = {"id": a.id, "source": a.outlet, "stance": a.stance, "title": a.title,
                               "url": a.url, "author": a.author, "language": a.language,
                               "date": a.published_at.isoformat() if a.published_at else None,
                               "duplicate_of": a.duplicate_of, "text": a.text}
        articles.append({k: v for k, v in rec.items() if v is not None})
    return {"id": cluster.id, "title": cluster.title, **cluster.meta, "articles": articles}


def write_clusters(clusters: Sequence[Cluster], path: str | os.PathLike[str]) -> Path:
    """Write ``clusters`` as cluster JSONL, atomically (a crash leaves the old file or the new one)."""
    lines = "".join(json.dumps(cluster_record(c), ensure_ascii=False) + "\n" for c in clusters)
    return write_atomic(path, lines)
