"""Long input cannot stall the machine: linear text steps, preparation off the event loop, a size cap."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from summarizer import errors
from summarizer.backends.testing import FakeBackend
from summarizer.config import Config
from summarizer.ingest import load_articles
from summarizer.ingest.records import MAX_ARTICLE_CHARS
from summarizer.pipeline import Pipeline, flow
from summarizer.pipeline.plan import split_text
from summarizer.schema import Article
from summarizer.text.sentences import quote_spans, sentence_spans

PARAGRAPH = ("The council approved the budget on Monday. Mayor Jane Doe said “it is a good day” for the town. "
             "Critics said the plan costs 3 million dollars too much. The vote was 7 to 2.")


class Counting:
    """A token counter (4 characters a token) that adds up how much text it was asked to count."""

    def __init__(self) -> None:
        self.chars = 0

    def __call__(self, text: str) -> int:
        self.chars += len(text)
        return max(1, len(text) // 4)


@pytest.mark.parametrize("shape", ["paragraphs", "one line", "one sentence", "no spaces"])
def test_splitting_counts_each_character_a_bounded_number_of_times(shape):
    text = {
        "paragraphs": "\n\n".join([PARAGRAPH] * 2000),
        "one line": " ".join([PARAGRAPH] * 2000),
        "one sentence": " ".join(["word"] * 80_000),
        "no spaces": "x" * 300_000,
    }[shape]
    count = Counting()
    pieces = split_text(text, 2000, count)
    assert count.chars <= 8 * len(text), f"counted {count.chars / len(text):.0f}x the text"
    assert all(len(p) // 4 <= 2000 for p in pieces)  # every piece fits the budget
    assert "".join(pieces).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")


def test_sentence_spans_is_linear():
    text = " ".join([PARAGRAPH] * 20_000)  # 3.4 MB, 80,000 sentences
    started = time.perf_counter()
    spans = sentence_spans(text)
    assert len(spans) >= 80_000 and time.perf_counter() - started < 3


def test_quote_spans_on_one_long_line_is_not_quadratic():
    line = " ".join(['He said "yes" and she said “no” today.'] * 8000)
    started = time.perf_counter()
    assert len(quote_spans(line)) == 16_000
    assert time.perf_counter() - started < 3


async def test_preparation_runs_off_the_event_loop(monkeypatch, seed_cluster, tmp_path):
    real = flow.prepare_cluster
    threads: list[threading.Thread] = []

    def slow_prepare(*args, **kwargs):
        threads.append(threading.current_thread())
        time.sleep(0.8)  # stands in for planning a huge article
        return real(*args, **kwargs)

    monkeypatch.setattr(flow, "prepare_cluster", slow_prepare)
    gaps: list[float] = []

    async def ticker() -> None:
        last = time.perf_counter()
        for _ in range(60):
            await asyncio.sleep(0.02)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    pipeline = Pipeline(FakeBackend([]), Config(cache_dir=tmp_path))
    run = asyncio.ensure_future(pipeline.arun(seed_cluster.articles()))
    await ticker()
    run.cancel()
    await asyncio.gather(run, return_exceptions=True)
    assert threads and threads[0] is not threading.main_thread()
    assert max(gaps) < 0.4, f"the event loop stalled for {max(gaps):.2f}s"


def test_an_article_over_the_cap_is_refused_by_the_pipeline_quickly(tmp_path):
    huge = Article(id="huge", title="Huge", text=PARAGRAPH * (MAX_ARTICLE_CHARS // len(PARAGRAPH) + 2))
    started = time.perf_counter()
    with pytest.raises(errors.InputError, match="limit") as info:
        Pipeline(FakeBackend([]), Config(cache_dir=tmp_path)).run([huge])
    assert "huge" in str(info.value) and "split" in str(info.value)
    assert time.perf_counter() - started < 2


def test_an_article_over_the_cap_is_refused_at_ingest_quickly():
    started = time.perf_counter()
    with pytest.raises(errors.InputError, match="limit"):
        load_articles([{"id": "big", "title": "Big", "text": "word " * (MAX_ARTICLE_CHARS // 5 + 10)}])
    assert time.perf_counter() - started < 2
