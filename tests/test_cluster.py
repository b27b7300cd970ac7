"""Story clustering: edge cases, duplicates, a shared person, dates, scale guards, and the dev-set gate."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest

from summarizer.cli.main import main
from summarizer.errors import ConfigError, InputError
from summarizer.ingest import load_clusters
from summarizer.schema import Article
from summarizer.stories import cluster as clustering
from summarizer.stories.cluster import ClusterOptions, cluster_articles, cluster_labels, write_clusters

DAY = datetime(2021, 10, 4, 12, tzinfo=timezone.utc)
DEV = Path(__file__).resolve().parents[2] / "shared" / "evalsets" / "allsides-dev.jsonl"

SINEMA = [
    ("Biden says activists went too far in confronting Sinema",
     ("President Joe Biden said on Monday that activists who followed Senator Kyrsten Sinema into a restroom at "
     "Arizona State University went too far, but that such confrontations are part of the process.")),
    ("Biden: 'Not appropriate' for protesters to follow Sinema into bathroom",
     ("President Joe Biden said it was not appropriate for immigration activists to confront Senator Kyrsten "
     "Sinema in a bathroom at Arizona State University, adding that it happens to everybody.")),
    ("'Happens to everybody': Biden says Sinema bathroom ambush is part of the process",
     ("Joe Biden said the confrontation of Kyrsten Sinema by activists in a university restroom was part of the "
     "process, a remark critics said excused harassment of the Arizona senator.")),
]
TRIP = [
    ("Biden cancels Chicago trip as spending talks stall",
     ("President Joe Biden canceled a trip to Chicago on Wednesday to stay in Washington and negotiate with "
     "Democrats over the infrastructure bill and the larger social spending package.")),
    ("Biden scraps Chicago visit to work on infrastructure vote",
     ("Joe Biden scrapped a planned visit to Chicago, where he was to promote vaccine mandates, to meet "
     "lawmakers before a House vote on the infrastructure bill and the spending package.")),
]


def art(i: int, title: str, text: str, outlet: str = "", when: datetime | None = DAY, **kw) -> Article:
    return Article(id=f"a{i}", title=title, text=text, outlet=outlet or f"Outlet {i}", published_at=when, **kw)


def test_no_articles_no_clusters():
    assert cluster_articles([]) == []


def test_one_article_is_one_story():
    (story,) = cluster_articles([art(1, *SINEMA[0])])
    assert [a.id for a in story.articles] == ["a1"] and story.meta["outlets"] == 1
    assert story.title == SINEMA[0][0] and story.id.startswith("story-")


def test_all_duplicates_stay_together_marked_as_copies():
    wire = ("Jobless claims fall to lowest level since March 2020",
            ("Weekly jobless claims fell to 293,000 last week, the lowest level since the pandemic began in March "
            "2020, the Labor Department said on Thursday, a sign that the job market is recovering."))
    copies = [art(i, *wire, outlet=o) for i, o in enumerate(["AP", "Fox Business", "NBC", "Yahoo", "AP"])]
    (story,) = cluster_articles(copies)
    assert len(story.articles) == 5
    assert [a.duplicate_of for a in story.articles] == [None, "a0", "a0", "a0", "a0"]
    assert story.meta == {"outlets": 4, "duplicates": 4, "first_published": DAY.isoformat(),
                          "last_published": DAY.isoformat()}


def test_copies_with_different_headlines_are_tied_even_at_a_strict_threshold():
    body = TRIP[0][1] + " The White House said the president would reschedule. " * 3
    a, b = art(1, "Biden cancels trip", body), art(2, "Chicago visit off: what we know", body)
    labels = cluster_labels([a, b], ClusterOptions(threshold=0.99))
    assert labels[0] == labels[1]


def test_two_stories_sharing_a_person_are_two_clusters():
    arts = [art(i, *t) for i, t in enumerate(SINEMA + TRIP)]
    random.Random(3).shuffle(arts)
    stories = cluster_articles(arts)
    got = sorted(sorted(a.id for a in s.articles) for s in stories)
    assert got == [["a0", "a1", "a2"], ["a3", "a4"]]
    assert stories[0].meta["outlets"] == 3  # ranked by outlet count


def test_singletons_are_kept():
    lone = art(9, "Pandora Papers reveal hidden wealth of world leaders",
               "A leak of nearly 12 million documents reveals the hidden wealth of dozens of world leaders.")
    stories = cluster_articles([*(art(i, *t) for i, t in enumerate(SINEMA)), lone])
    assert sorted(len(s.articles) for s in stories) == [1, 3]
    assert sum(len(s.articles) for s in stories) == 4


def test_same_topic_weeks_apart_is_two_stories_but_unknown_dates_do_not_split():
    early = [art(i, *t, when=DAY) for i, t in enumerate(SINEMA)]
    follow_up = " Three weeks on, the senator again met the activists, this time in her Phoenix office, and talks went on."
    late = [art(i + 10, t, x + follow_up, when=DAY + timedelta(days=21)) for i, (t, x) in enumerate(SINEMA)]
    assert len(cluster_articles(early + late)) == 2
    undated = [a.model_copy(update={"published_at": None}) for a in early + late]
    assert len(cluster_articles(undated)) == 1


def test_url_dates_count_when_published_at_is_missing():
    a = art(1, *SINEMA[0], when=None, url="https://news.example.org/2021/10/04/biden-sinema.html")
    b = art(2, *SINEMA[1], when=None, url="https://news.example.org/2021/11/20/biden-sinema.html")
    assert len(cluster_articles([a, b])) == 2


def test_ids_are_stable_under_shuffling():
    arts = [art(i, *t) for i, t in enumerate(SINEMA + TRIP)]
    first = {s.id: sorted(a.id for a in s.articles) for s in cluster_articles(arts)}
    random.Random(1).shuffle(arts)
    assert {s.id: sorted(a.id for a in s.articles) for s in cluster_articles(arts)} == first


def test_repeated_ids_and_bad_options_fail_clearly():
    with pytest.raises(InputError, match="unique id"):
        cluster_articles([art(1, *SINEMA[0]), art(1, *SINEMA[1])])
    with pytest.raises(ConfigError, match="threshold"):
        cluster_labels([art(1, *SINEMA[0])], ClusterOptions(threshold=0))
    with pytest.raises(ConfigError, match="linkage"):
        cluster_labels([art(1, *SINEMA[0])], ClusterOptions(linkage="ward"))  # type: ignore[arg-type]


def test_articles_without_any_terms_still_get_a_cluster_each():
    arts = [art(1, "", "!!!"), art(2, "", "???")]
    assert sorted(len(s.articles) for s in cluster_articles(arts)) == [1, 1]


def test_oversized_blocks_are_split_not_densified(monkeypatch):
    monkeypatch.setattr(clustering, "MAX_DENSE", 2)
    arts = [art(i, *t) for i, t in enumerate(SINEMA + TRIP)]
    labels = cluster_labels(arts)
    assert np.bincount(labels).max() <= 2 and len(labels) == 5


def test_written_clusters_are_read_back_by_load_clusters(tmp_path):
    arts = [art(i, *t) for i, t in enumerate(SINEMA + TRIP)]
    stories = cluster_articles(arts)
    path = write_clusters(stories, tmp_path / "clusters.jsonl")
    back = load_clusters(path)
    assert [c.id for c in back] == [s.id for s in stories]
    assert [len(c.articles) for c in back] == [3, 2]
    assert back[0].meta["outlets"] == 3 and back[0].articles[0].published_at == DAY


def test_cluster_command_writes_cluster_jsonl(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"r{i}", "title": t, "text": x, "source": f"O{i}"}) + "\n"
                           for i, (t, x) in enumerate(SINEMA + TRIP)), encoding="utf-8")
    out = tmp_path / "clusters.jsonl"
    assert main(["cluster", str(src), "-o", str(out), "-q"]) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [len(line["articles"]) for line in lines] == [3, 2]
    assert "5 article(s) in 2 stories" in capsys.readouterr().err
    assert main(["cluster", str(tmp_path / "missing.jsonl"), "-q"]) == 3


@pytest.mark.skipif(not DEV.exists(), reason="needs the shared AllSides dev set beside the repository")
def test_pooled_dev_articles_reach_the_ari_target():
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from cluster_dev import score

    dated = score(ClusterOptions(), seeds=2, dated=True)
    assert dated["ari"] >= 0.9 and dated["homogeneity"] >= 0.95


def _graph_sizes(monkeypatch) -> list[tuple[int, int]]:
    """(articles in, edges out) of every similarity graph clustering builds."""
    sizes: list[tuple[int, int]] = []
    real = clustering._graph

    def counted(x, *rest):
        out = real(x, *rest)
        graph = out[0] if isinstance(out, tuple) else out
        sizes.append((x.shape[0], graph.nnz))
        return out

    monkeypatch.setattr(clustering, "_graph", counted)
    return sizes


def test_a_flood_of_copies_is_one_node_not_n_squared_edges(monkeypatch):
    sizes = _graph_sizes(monkeypatch)
    body = ("Officials said the river crossing near the northern border was closed on Monday after heavy "
            "flooding damaged the old bridge and several roads nearby.")
    arts = [Article(id=f"e{i}", title=f"Bridge closed after floods ({i})", text=body, outlet=f"Feed {i % 7}")
            for i in range(2000)]
    (story,) = cluster_articles(arts)
    assert len(story.articles) == 2000 and story.meta["duplicates"] == 1999
    ((rows, edges),) = sizes
    assert rows <= clustering.COPIES_COMPARED and edges <= rows * rows  # was 2,000 rows and ~4 million edges


def test_a_flood_of_look_alikes_keeps_a_bounded_number_of_edges_each(monkeypatch):
    sizes = _graph_sizes(monkeypatch)
    rng = random.Random(3)
    vocab = [f"word{i}" for i in range(400)]
    arts = [Article(id=f"e{i}", title="Bridge closed after floods", outlet=f"Feed {i}",
                    text=" ".join(rng.choice(vocab) for _ in range(40)))  # never wire copies of each other
            for i in range(1200)]
    labels = cluster_labels(arts)
    assert len(labels) == 1200
    ((rows, edges),) = sizes
    cap = getattr(clustering, "MAX_NEIGHBOURS", 256)
    assert rows == 1200 and edges <= 2 * cap * rows  # was every pair: 1.4 million


def test_cluster_files_are_read_as_articles_that_join_the_input(tmp_path, capsys):
    clusters = write_clusters(cluster_articles([art(i, *t) for i, t in enumerate(SINEMA + TRIP)]),
                              tmp_path / "yesterday.jsonl")
    more = tmp_path / "more.jsonl"
    more.write_text(json.dumps({"id": "late", "title": TRIP[0][0], "text": TRIP[0][1], "source": "Late Outlet"}) + "\n",
                    encoding="utf-8")
    out = tmp_path / "today.jsonl"
    assert main(["cluster", str(clusters), str(more), "-o", str(out), "-q"]) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(len(line["articles"]) for line in lines) == [3, 3]  # the late article joined its story
    assert "6 article(s) in 2 stories" in capsys.readouterr().err
    folder = tmp_path / "day"
    folder.mkdir()
    clusters.rename(folder / "yesterday.jsonl")
    assert main(["cluster", str(folder), "-o", str(out), "-q"]) == 0  # in a folder too, not skipped
    assert "5 article(s) in 2 stories" in capsys.readouterr().err
