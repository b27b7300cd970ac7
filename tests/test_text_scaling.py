"""Evidence extraction stays linear in an article's length whatever its shape: one endless
"sentence" of figures, claim verbs or quotes. Each test counts the work a step does on a modest
adversarial input (the old code did it once per figure or quote, over the whole sentence);
times live in benchmarks/adversarial_shapes.py."""

from __future__ import annotations

import re

from summarizer.evidence import attribution, collect, disagreements, figures, quotes
from summarizer.schema import Article

REPEATS = 300


def _article(unit: str, repeats: int = REPEATS) -> Article:
    return Article(id="a", title="Lead story", text=unit * repeats, outlet="Outlet")


def test_each_claim_verb_subject_is_read_once_per_sentence(monkeypatch):
    calls = []
    real = figures.subject_before
    monkeypatch.setattr(figures, "subject_before", lambda prefix: calls.append(len(prefix)) or real(prefix))
    # "it" is no claimant, so every figure used to walk back over every verb before it.
    ev = collect([_article("and it said 12 troops ")])
    assert len([n for n in ev.numbers if n.unit == "troops"]) == REPEATS
    assert len(calls) <= 2 * REPEATS + 2  # once per verb for figures, once for reported speech (was REPEATS**2 / 2)
    assert max(calls) <= figures.SUBJECT_WINDOW  # and each reads a bounded window, not the whole prefix


def test_figures_of_one_sentence_share_its_names(monkeypatch):
    calls = []
    real = disagreements.name_terms
    monkeypatch.setattr(disagreements, "name_terms", lambda s: calls.append(s) or real(s))
    ev = collect([_article("Officials in Kyiv said 12 troops, and Moscow said 15 troops ", 150),
                  Article(id="b", title="Other", text="Officials in Kyiv said 40 troops crossed.", outlet="B")])
    assert ev.disagreements  # 12, 15 and 40 troops differ
    assert len(calls) == 2  # one per distinct sentence (was one per figure: 301)


class _Counted:
    """A compiled pattern that counts its searches."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern, self.real, self.searches = pattern.pattern, pattern, 0

    def search(self, *args):
        self.searches += 1
        return self.real.search(*args)

    def finditer(self, *args):
        self.searches += 1
        return self.real.finditer(*args)


def test_a_sentence_of_quotes_is_searched_for_according_to_once(monkeypatch):
    counted = _Counted(attribution._ACCORDING)
    monkeypatch.setattr(attribution, "_ACCORDING", counted)
    text = "".join(f"and “we will hold the line at post {i} whatever comes” " for i in range(REPEATS))
    ev = collect([Article(id="a", title="Lead story", text=text, outlet="Outlet")])
    assert len(ev.quotes) == REPEATS
    assert counted.searches <= 3  # once per sentence (was once per quote, over the whole sentence)


def test_a_quote_after_a_long_list_of_names_reads_a_bounded_window_for_its_subject(monkeypatch):
    spans = []

    class _Windowed:
        def search(self, text, pos=0, endpos=None):
            spans.append((endpos if endpos is not None else len(text)) - pos)
            return real.search(text, pos, len(text) if endpos is None else endpos)

    real = attribution._SUBJECT
    monkeypatch.setattr(attribution, "_SUBJECT", _Windowed())
    names = ", ".join(f"Alpha{i} Beta" for i in range(REPEATS))
    ev = collect([Article(id="a", title="Lead story", outlet="Outlet",
                          text=f"Officials in {names} reportedly wrote “we will hold the line whatever comes”.")])
    assert len(ev.quotes) == 1
    assert spans and max(spans) <= attribution.SUBJECT_WINDOW  # (was the whole prefix)


def test_quote_deduplication_compares_a_quote_only_with_those_sharing_its_rarest_word(monkeypatch):
    calls = []
    real = quotes._holds
    monkeypatch.setattr(quotes, "_holds", lambda longer, shorter: calls.append(1) or real(longer, shorter))
    text = "".join(f"“we will hold the line at post {i} whatever comes.” " for i in range(REPEATS))
    ev = collect([Article(id="a", title="Lead story", text=text, outlet="Outlet")])
    assert len(ev.quotes) == REPEATS
    assert len(calls) <= 2 * REPEATS  # (was every pair: REPEATS**2)
