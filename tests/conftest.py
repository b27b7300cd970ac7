"""Shared test fixtures. Fixtures that only one test file needs live in that file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from summarizer.schema import Article
from summarizer.settings import ENV_VARS

# The seed cluster: four articles about one story (examples/putin-nk-troops/; the same files are
# copied into evals/data/seed/ and /work/shared/seeds/). Article ids are the file names' numbers.
SEED_DIR = Path(__file__).resolve().parent.parent / "examples" / "putin-nk-troops"

# What the files themselves say about where they came from (bylines, footers, datelines).
SEED_META: MappingProxyType[str, MappingProxyType[str, Any]] = MappingProxyType({
    "001": MappingProxyType({
        "outlet": "The Dong-A Ilbo",
        "title": "Putin acknowledges N. Korean troop deployment to Russia",
        "author": "Eun-A Cho",
        "published_at": datetime(2024, 10, 26, 7, 51, tzinfo=timezone.utc),
    }),
    "002": MappingProxyType({
        "outlet": "Euromaidan Press",
        "title": "Putin doesn’t deny deployment of North Korean troops",
        "author": None,
        "published_at": datetime(2024, 10, 25, tzinfo=timezone.utc),
    }),
    "003": MappingProxyType({
        "outlet": "The New York Times",
        "title": "Putin seems to indicate that troops from North Korea are present in Russia.",
        "author": "Valerie Hopkins",
        "published_at": datetime(2024, 10, 24, tzinfo=timezone.utc),
    }),
    "004": MappingProxyType({
        "outlet": "The Asia Business Daily",
        "title": 'Putin Did Not Deny Sending Troops to North Korea... "It\'s Our Business to Handle"',
        "author": None,
        "published_at": datetime(2024, 10, 25, tzinfo=timezone.utc),
    }),
})


@dataclass(frozen=True)
class SeedCluster:
    """The seed cluster, read once. Immutable; :meth:`articles` builds fresh ``Article`` objects.

    ``ids`` are ``001``..``004`` in file order. ``texts`` are the files' exact contents (not run
    through ingest), so quote offsets into them are file offsets too.
    """

    dir: Path
    paths: tuple[Path, ...]
    texts: tuple[str, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(p.name[:3] for p in self.paths)

    def path(self, article_id: str) -> Path:
        return self.paths[self.ids.index(article_id)]

    def text(self, article_id: str) -> str:
        return self.texts[self.ids.index(article_id)]

    def articles(self) -> list[Article]:
        """Fresh ``Article`` objects (id, text, language, source path and the files' own metadata)."""
        return [
            Article(id=i, text=text, language="en", source_path=str(path), **SEED_META[i])
            for i, path, text in zip(self.ids, self.paths, self.texts)
        ]


@pytest.fixture(scope="session")
def seed_cluster() -> SeedCluster:
    """The seed cluster (see :class:`SeedCluster`), shared by every test that needs it."""
    paths = tuple(sorted(SEED_DIR.glob("00[1-4]_*.txt")))
    assert [p.name[:3] for p in paths] == list(SEED_META), paths
    return SeedCluster(SEED_DIR, paths, tuple(p.read_text(encoding="utf-8") for p in paths))


def isolate_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Unset every variable of the settings table, and point the cache into ``tmp_path``."""
    for var in ENV_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "summarizer-cache"))


@pytest.fixture(autouse=True)
def _isolate(monkeypatch, tmp_path):
    # No test may reach a real API by accident, pick up the user's settings, or write into the user's cache.
    isolate_environment(monkeypatch, tmp_path)
