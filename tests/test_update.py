"""Updating a brief as new articles arrive (issue 12, part 4): what's new, the changelog, cost, guarantees."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest

import summarizer.ingest
from summarizer import aupdate, errors, truth, update
from summarizer.backends.testing import FakeBackend, FunctionBackend
from summarizer.cli.main import main
from summarizer.config import Config
from summarizer.ingest import load_articles
from summarizer.pipeline import Pipeline
from summarizer.schema import CitedSentence, StoryBrief
from summarizer.updates import Updater
from tests.digest_fake import FACT, extractive_answer

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "putin-nk-troops"


def copy_facts(request):
    """Answers the update call with the new facts' own sentences, each citing its fact."""
    if request.purpose == "update":
        facts = FACT.findall(request.messages[-1]["content"])
        return {"whats_new": [{"text": text, "facts": [int(n)]} for n, text in facts[:2]]}
    return extractive_answer(request)


def config(tmp_path: Path) -> Config:
    return Config(cache_dir=tmp_path / "cache")


@pytest.fixture
def seed(tmp_path, monkeypatch) -> list[Path]:
    """The seed files copied to a folder of the test's own (some tests move or change them), which is
    the working directory: an update reads a brief's recorded paths only under it (or the brief's folder)."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "seed"
    folder.mkdir()
    return [Path(shutil.copy(p, folder)) for p in sorted(SEED.glob("00[1-4]_*.txt"))]


def brief_of(paths: list[Path], tmp_path: Path) -> StoryBrief:
    return Pipeline(FunctionBackend(extractive_answer), config(tmp_path)).run(load_articles(*paths))


def all_articles(paths: list[Path]) -> list:
    return load_articles(*paths)


# --------------------------------------------------------------------------- what's new


def test_a_new_claimant_of_a_figure_shows_as_a_changed_figure_attributed(seed, tmp_path):
    old = brief_of(seed[:3], tmp_path)
    new = Updater(FunctionBackend(copy_facts), config(tmp_path)).run(old, load_articles(seed[3]))
    assert new.whats_new is not None
    a4 = new.sources[3].article_id
    (change,) = new.whats_new.figures
    assert change.subject == "number of North Korean soldiers"
    (added,) = change.added
    # 004 reports the 3,000 figure as the United States' estimate too: the claim changed, attributed.
    assert added.value == "3,000 troops" and "United States" in added.claimant and a4 in added.sources
    assert [c.claimant for c in change.previous] == ["South Korean intelligence"]
    # Every side of the figure is still listed, each with its claimant.
    assert {c.value for c in change.claims} >= {"3,000 troops", "approximately 12,000 troops"}
    assert "changed figure: number of North Korean soldiers" in new.versions[-1].changes


def test_a_new_article_with_a_different_number_adds_a_figure(seed, tmp_path):
    # 002 alone reports Budanov's 11,000: a figure the brief of 001, 003 and 004 did not have.
    old = brief_of([seed[0], seed[2], seed[3]], tmp_path)
    assert "about 11,000 infantry" not in {c.value for d in old.disagreements for c in d.claims}
    new = update(old, load_articles(seed[1]), backend=FunctionBackend(copy_facts), config=config(tmp_path))
    assert new.whats_new is not None
    added = {c.value: c for f in new.whats_new.figures for c in f.added}
    claim = added["about 11,000 infantry"]
    assert "Budanov" in claim.claimant and claim.sources == [new.whats_new.articles[0]]
    change = next(f for f in new.whats_new.figures if claim in f.added)
    assert not any("11,000" in c.value for c in change.previous)
    assert claim in new.disagreements[0].claims  # the disagreement table itself has the new claim


def test_new_actor_and_new_quote_rest_on_the_new_article(seed, tmp_path):
    old = brief_of(seed[:3], tmp_path)
    new = Updater(FunctionBackend(copy_facts), config(tmp_path)).run(old, load_articles(seed[3]))
    assert new.whats_new is not None
    a4 = new.whats_new.articles[0]
    text4 = load_articles(seed[3])[0].text
    assert "Sabrina Singh" in [p.actor for p in new.whats_new.actors]
    assert not any(p.actor == "Sabrina Singh" for p in old.perspectives)
    assert "Sabrina Singh" in [p.actor for p in new.perspectives]  # the brief's own perspectives too
    singh = [st for st in new.whats_new.quotes if st.speaker == "Sabrina Singh"]
    assert singh, [st.speaker for st in new.whats_new.quotes]
    for st in new.whats_new.quotes:
        for r in st.renderings:  # verbatim spans of the new article, at their offsets
            assert r.article_id == a4 and text4[r.start : r.end] == r.text
    old_quotes = {q.text for q in old.quotes}
    assert not any(r.text in old_quotes for st in new.whats_new.quotes for r in st.renderings)


def test_what_is_new_is_one_small_call_over_only_the_new_facts(seed, tmp_path):
    old = brief_of(seed[:3], tmp_path)
    backend = FunctionBackend(copy_facts)
    new = Updater(backend, config(tmp_path)).run(old, load_articles(seed[3]))
    assert [r.purpose for r in backend.requests] == ["update"]
    prompt = backend.requests[0].messages[-1]["content"]
    facts = FACT.findall(prompt)
    assert 1 <= len(facts) <= 5 and str(old.summary)[:60] in prompt
    assert all(new.whats_new.articles[0] in s.sources for s in new.whats_new.summary)
    assert new.run.plan == "update" and new.run.llm_calls == 1
    # against the whole JSON draft: the prose call (the default) costs about what an update does
    fresh = Pipeline(FunctionBackend(extractive_answer), Config(use_cache=False, draft="json")).run(all_articles(seed))
    assert new.run.prompt_tokens + new.run.completion_tokens < 0.75 * (
        fresh.run.prompt_tokens + fresh.run.completion_tokens)
    # The old summary and key points are carried over unchanged (the truth layer re-checked them).
    kept = [s.text for s in old.summary if s.origin != "disagreement"]
    assert [s.text for s in new.summary][: len(kept)] == kept
    # Each sentence still says where it came from: the model's update, the new facts' own sentences.
    assert {s.origin for s in new.whats_new.summary} == {"update"}
    assert {s.origin for s in new.whats_new.facts} == {"fact"}
    assert [s.origin for s in new.summary][len(kept):] == ["disagreement"] * (len(new.summary) - len(kept))


def test_no_new_facts_makes_no_model_call(seed, tmp_path):
    old = brief_of(seed[:3], tmp_path)
    text = seed[2].read_text(encoding="utf-8")
    copy = tmp_path / "wire_copy.txt"  # the same story as 003, its last paragraphs cut: a near-duplicate
    copy.write_text(text[: text.index("His visit was met with criticism")], encoding="utf-8")
    backend = FakeBackend([])  # any call would fail the test
    new = Updater(backend, config(tmp_path)).run(old, load_articles(copy, seed[0]))
    assert backend.requests == [] and new.run.llm_calls == 0
    assert new.whats_new is not None and new.whats_new.summary == [] and new.whats_new.facts == []
    assert new.sources[-1].duplicate_of == old.sources[2].article_id
    assert any("already sources" in line for line in new.versions[-1].changes)  # 001 again: not added twice
    assert len(new.sources) == 4


def test_unsupported_model_sentences_fall_back_to_the_new_facts_own_sentences(seed, tmp_path):
    old = brief_of(seed[:3], tmp_path)

    def invents(request):
        if request.purpose == "update":
            return {"whats_new": [{"text": "The Pentagon said 45,000 North Korean troops are now in Kursk.",
                                   "facts": [1]}]}
        return extractive_answer(request)

    new = Updater(FunctionBackend(invents), config(tmp_path)).run(old, load_articles(seed[3]))
    assert new.whats_new is not None and new.whats_new.summary
    assert "45,000" not in new.to_json()
    text4 = load_articles(seed[3])[0].text
    assert all(s.text in " ".join(text4.split()) for s in new.whats_new.summary)
    assert {s.origin for s in new.whats_new.summary} == {"fact"}  # source sentences stand in
    assert any(i.where == "whats_new.summary" for i in new.grounding.issues)


# --------------------------------------------------------------------------- changelog and guarantees


def test_the_changelog_grows_across_two_updates(seed, tmp_path):
    v1 = brief_of(seed[:2], tmp_path)
    updater = Updater(FunctionBackend(copy_facts), config(tmp_path))
    v2 = updater.run(v1, load_articles(seed[2]))
    v3 = updater.run(v2, load_articles(seed[3]))
    assert [v.version for v in v3.versions] == [1, 2, 3]
    assert v3.versions[:2] == v2.versions
    assert v3.versions[0].articles_added == [s.article_id for s in v1.sources]
    assert v3.versions[1].articles_added == [v2.sources[2].article_id]
    assert v3.versions[2].articles_added == [v3.sources[3].article_id]
    assert v3.versions[2].llm_calls == v3.run.llm_calls and v3.versions[2].changes[0].startswith("1 article added")
    # The previous update's news becomes part of the story: it is among the key points now.
    assert v2.whats_new is not None and v2.whats_new.summary
    assert {s.text for s in v2.whats_new.summary} <= {k.text for k in v3.key_points}
    assert v3.whats_new is not None and v3.whats_new.articles == [v3.sources[3].article_id]


def test_the_updated_brief_validates_under_the_truth_layer(seed, tmp_path):
    old = brief_of(seed[:3], tmp_path)
    new = asyncio.run(aupdate(old, load_articles(seed[3]), backend=FunctionBackend(copy_facts),
                              config=config(tmp_path)))
    articles = [*load_articles(*seed[:3]), *load_articles(seed[3])]
    articles = [a.model_copy(update={"id": s.article_id}) for a, s in zip(articles, new.sources)]
    assert truth.verify(new, articles) == []
    again = StoryBrief.model_validate(json.loads(new.to_json()), context={"articles": articles})
    assert again.whats_new == new.whats_new
    # A what's-new sentence resting only on an old article is refused; so is a quote no article holds.
    assert new.whats_new is not None
    stale = CitedSentence(text=old.summary[0].text, sources=old.summary[0].sources,
                          evidence=old.summary[0].evidence)
    bad = new.model_copy(update={"whats_new": new.whats_new.model_copy(update={"summary": [stale]})})
    assert any("whats_new.summary[0]" in p and "none of the articles" in p for p in truth.verify(bad, articles))
    quote = new.whats_new.quotes[0].renderings[0]
    fake = quote.model_copy(update={"text": quote.text + " We will win."})
    statement = new.whats_new.quotes[0].model_copy(update={"renderings": [fake]})
    bad = new.model_copy(update={"whats_new": new.whats_new.model_copy(update={"quotes": [statement]})})
    assert any(p.startswith("whats_new.quotes[0]") for p in truth.verify(bad, articles))


def test_missing_old_articles_is_an_error_that_says_what_to_do(seed, tmp_path):
    old = brief_of(seed[:3], tmp_path)
    seed[1].unlink()
    with pytest.raises(errors.MissingArticlesError) as info:
        update(old, load_articles(seed[3]), backend=FakeBackend([]), config=config(tmp_path))
    assert info.value.missing == [old.sources[1].article_id]
    assert "--with" in str(info.value) and old.sources[1].article_id in str(info.value)
    assert info.value.exit_code == 3
    # A file that changed since the brief was made is not the article summarized.
    seed[0].write_text(seed[0].read_text(encoding="utf-8") + "\nA paragraph added later to this page.\n",
                       encoding="utf-8")
    with pytest.raises(errors.MissingArticlesError) as info:
        update(old, load_articles(seed[3]), backend=FakeBackend([]), config=config(tmp_path))
    assert old.sources[0].article_id in info.value.missing


def test_old_articles_can_be_given_instead(seed, tmp_path):
    old = brief_of(seed[:3], tmp_path)
    given = load_articles(*seed[:3])
    for p in seed[:3]:
        p.unlink()
    new = update(old, load_articles(seed[3]), old_articles=given, backend=FunctionBackend(copy_facts),
                 config=config(tmp_path))
    assert [s.article_id for s in new.sources][:3] == [s.article_id for s in old.sources]


# --------------------------------------------------------------------------- CLI and rendering


def test_update_command_end_to_end(seed, tmp_path, monkeypatch, capsys):
    backend = FunctionBackend(copy_facts)
    monkeypatch.setattr("summarizer.pipeline.flow.make_backend", lambda config, progress=None: backend)
    brief = tmp_path / "brief.json"
    assert main(["summarize", *map(str, seed[:3]), "-o", str(brief), "-q"]) == 0
    out = tmp_path / "brief-v2.md"
    assert main(["update", str(brief), str(seed[3]), "-o", str(out), "-q"]) == 0
    md = out.read_text(encoding="utf-8")
    assert "## What's new" in md and "**Changed figures**" in md and "## Changelog" in md
    assert "**Version 2**" in md and "Sabrina Singh" in md
    assert [r.purpose for r in backend.requests] == ["prose", "update"]
    # In place, as JSON; then again once the old files are gone: exit 3 and what to do, unless --with.
    assert main(["update", str(brief), str(seed[3]), "-o", str(brief), "-q"]) == 0
    v2 = StoryBrief.model_validate_json(brief.read_text(encoding="utf-8"))
    assert [v.version for v in v2.versions] == [1, 2]
    moved = tmp_path / "moved"
    moved.mkdir()
    for p in seed[:3]:
        shutil.move(p, moved / p.name)
    capsys.readouterr()
    assert main(["update", str(brief), str(seed[3]), "-q"]) == 3
    err = capsys.readouterr().err
    assert "--with" in err and "Traceback" not in err
    assert main(["update", str(brief), str(seed[3]), "--with", str(moved), "-f", "html", "-q"]) == 0
    assert '<section id="whats-new"' in capsys.readouterr().out


# A brief is data from outside: the paths it records are read only under the working directory or the
# brief's folder, and only when a digest can check the text. Each case names a file the update must not use.
READ_NOTHING = {
    "absolute, no digest": ("/etc/passwd", None),
    "climbing out, no digest": ("../../../../../../../../etc/passwd", None),
    "proc, no digest": ("/proc/self/environ", None),
    "inside, but no digest": ("private.txt", None),
    "outside, same text": ("{outside}", "keep"),
    "a link out, same text": ("seed/link.txt", "keep"),
}


@pytest.mark.parametrize("case", READ_NOTHING)
def test_update_reads_no_file_a_brief_names_outside_its_folders(case, seed, tmp_path, tmp_path_factory,
                                                                 monkeypatch, capsys):
    monkeypatch.setattr("summarizer.pipeline.flow.make_backend",
                        lambda config, progress=None: FunctionBackend(copy_facts))
    brief = tmp_path / "brief.json"
    assert main(["summarize", *map(str, seed[:3]), "-o", str(brief), "-q"]) == 0
    outside = Path(shutil.copy(seed[2], tmp_path_factory.mktemp("elsewhere")))  # the very article, elsewhere
    (tmp_path / "seed" / "link.txt").symlink_to(outside)
    (tmp_path / "private.txt").write_text("root:x:0:0:root:/root:/bin/bash\nA private note, not news.\n")
    path, digest = READ_NOTHING[case]
    data = json.loads(brief.read_text(encoding="utf-8"))
    source = data["sources"][2]
    source["source_path"] = path.format(name=seed[2].name, outside=outside)
    if digest is None:
        source["digest"] = None
    brief.write_text(json.dumps(data), encoding="utf-8")
    seed[2].unlink()  # what the brief names is the only copy left to find
    out = tmp_path / "v2.json"
    read = []
    load_articles = summarizer.ingest.load_articles
    monkeypatch.setattr(summarizer.ingest, "load_articles", lambda *paths, **kw: read.extend(paths) or
                        load_articles(*paths, **kw))
    capsys.readouterr()
    assert main(["update", str(brief), str(seed[3]), "-o", str(out)]) == 3
    err = capsys.readouterr().err
    assert not out.exists() and "root:" not in err
    # The new article and the brief's other two were read; nothing else the brief names was.
    assert {Path(p).resolve().parent for p in read} == {(tmp_path / "seed").resolve()}
    assert source["article_id"] in err and "--with" in err  # what to do
    # The user naming the file is what makes it readable.
    assert main(["update", str(brief), str(seed[3]), "--with", str(outside), "-o", str(out), "-q"]) == 0


def test_update_command_rejects_a_file_that_is_not_a_brief(seed, tmp_path, capsys):
    assert main(["update", str(seed[0]), str(seed[3]), "-q"]) == 3
    assert "not a story brief" in capsys.readouterr().err


def test_whats_new_and_changelog_render_escaped_and_readable(seed, tmp_path):
    old = brief_of(seed[:3], tmp_path)
    new = Updater(FunctionBackend(copy_facts), config(tmp_path)).run(old, load_articles(seed[3]))
    assert new.whats_new is not None
    hostile = new.whats_new.model_copy(update={"summary": [CitedSentence(
        text="<script>alert(1)</script> *bold* [link](javascript:x)", sources=new.whats_new.articles)]})
    page = new.model_copy(update={"whats_new": hostile}).to_html()
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert '<section id="whats-new"' in page and '<section id="changelog"' in page
    assert 'name="viewport"' in page and "Changed figures" in page
    md = new.model_copy(update={"whats_new": hostile}).to_markdown()
    assert r"\*bold\*" in md and r"\[link\]" in md
    html = new.to_html()
    assert html.index('id="whats-new"') < html.index('id="perspectives"')  # read early on a phone
    assert "Version 2" in html and "first brief, from 3 article(s)" in html


def test_cost_benchmark_runs_on_a_fake_backend(tmp_path):
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import update_cost

    m = update_cost.measure(config(tmp_path), update_cost.fake_backend())
    assert m["update"]["calls"] == 1 and m["fresh"]["calls"] == 1
    assert m["update"]["tokens"] < m["fresh"]["tokens"]
    assert "Sabrina Singh" in m["added"]["actors"]
    assert "| update 001-003 + 004 | 1 |" in update_cost.report(m)


def test_an_update_tells_the_old_disagreement_lines_by_origin_not_wording(seed, tmp_path):
    """The old brief's disagreement lines are written afresh; a sentence of the model's that happens to
    open like one is the model's, and is carried over as it is."""
    from summarizer.pipeline import prepare_cluster
    from summarizer.updates.flow import carry_over

    old = brief_of(seed[:2], tmp_path)
    lines = [s for s in old.summary if s.origin == "disagreement"]
    assert lines and lines[0].text.startswith("Sources differ on the")
    lookalike = old.summary[0].model_copy(update={"text": "Sources differ on the timing, " + old.summary[0].text})
    changed = old.model_copy(update={"summary": [lookalike, *old.summary[1:]]})
    prep = prepare_cluster(load_articles(*seed), config(tmp_path), FakeBackend([]))
    summary = carry_over(changed, prep, []).summary
    assert summary[0] == lookalike
    assert lines[0] not in summary[1:-1]  # the old line itself is not carried over: it is written afresh
    assert 1 <= [s.origin for s in summary].count("disagreement") <= len(prep.evidence.disagreements)


def test_an_update_rejects_its_model_sentences_by_the_policy_table(seed, tmp_path, monkeypatch):
    """Which issues make a "what's new" sentence unusable is a column of the truth layer's policy."""
    from dataclasses import replace

    from summarizer.truth.policy import POLICY
    from summarizer.updates.flow import verified

    old = brief_of(seed[:3], tmp_path)
    job = Updater(FakeBackend([]), config(tmp_path)).prepare(old, load_articles(seed[3]))
    fact = job.changes.whats_new.facts[0]  # a new fact's own sentence: nothing wrong with it
    loaded = fact.model_copy(update={"text": fact.text.rstrip(".") + ", a brutal regime said."})
    assert [i.code for i in truth.check(job.base.model_copy(update={"whats_new": job.changes.whats_new.model_copy(
        update={"summary": [loaded]})}), job.prep.all_articles, job.prep.evidence)
            if i.where == "whats_new.summary[0]"] == ["loaded_language"]
    assert verified(job, [fact, loaded]) == [fact]
    monkeypatch.setitem(POLICY, "loaded_language", replace(POLICY["loaded_language"], unusable=()))
    assert verified(job, [fact, loaded]) == [fact, loaded]


def test_a_brief_kept_beside_its_articles_finds_them_from_any_folder(seed, tmp_path, monkeypatch):
    # `summarize seed/00*.txt -o seed/brief.json` run from tmp_path records "seed/001_….txt"; an update
    # run from the brief's own folder, or from anywhere else, finds each file beside the brief by name.
    relative = [p.relative_to(tmp_path) for p in seed[:3]]
    old = Pipeline(FunctionBackend(extractive_answer), config(tmp_path)).run(load_articles(*relative))
    assert old.sources[0].source_path == str(relative[0])
    folder = seed[0].parent
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for cwd in (folder, elsewhere):
        monkeypatch.chdir(cwd)
        updater = Updater(pipeline=Pipeline(FunctionBackend(copy_facts), config(tmp_path)))
        new = updater.run(old, load_articles(seed[3]), None, base=folder)
        assert [s.article_id for s in new.sources][:3] == [s.article_id for s in old.sources]
