"""summarizer: a cluster of news articles in, a neutral, source-grounded StoryBrief out.

>>> from summarizer import load_articles, summarize
>>> brief = summarize(load_articles("examples/putin-nk-troops/"))   # doctest: +SKIP
>>> print(brief.summary)                                            # doctest: +SKIP

Heavy dependencies (the openai client, tiktoken encodings, llama.cpp) load
lazily, on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .lazy import lazy_getattr

__version__ = "0.1.0"
# The name to pip-install (the PyPI name "summarizer" belongs to an unrelated project).
DISTRIBUTION = "storybrief"

__all__ = [
    "Article",
    "Cluster",
    "Config",
    "Pipeline",
    "StoryBrief",
    "__version__",
    "asummarize",
    "aupdate",
    "cluster_articles",
    "gather_articles",
    "load_articles",
    "load_clusters",
    "resolve",
    "summarize",
    "update",
]

_LAZY = {
    "Article": "summarizer.schema",
    "Cluster": "summarizer.schema",
    "StoryBrief": "summarizer.schema",
    "Config": "summarizer.config",
    "resolve": "summarizer.config",
    "Pipeline": "summarizer.pipeline",
    "summarize": "summarizer.pipeline",
    "asummarize": "summarizer.pipeline",
    "update": "summarizer.updates",
    "aupdate": "summarizer.updates",
    "load_articles": "summarizer.ingest",
    "load_clusters": "summarizer.ingest",
    "cluster_articles": "summarizer.stories.cluster",
    "gather_articles": "summarizer.ingest.gather",
}

if TYPE_CHECKING:
    from .config import Config, resolve
    from .ingest import load_articles, load_clusters
    from .ingest.gather import gather_articles
    from .pipeline import Pipeline, asummarize, summarize
    from .schema.article import Article, Cluster
    from .schema.brief import StoryBrief
    from .stories.cluster import cluster_articles
    from .updates import aupdate, update


__getattr__ = lazy_getattr(__name__, _LAZY, globals())
