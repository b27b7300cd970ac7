"""What an update costs next to summarizing the whole cluster again (issue 12, part 4).

    python benchmarks/update_cost.py --backend local      # the embedded model (slow on a laptop CPU)
    python benchmarks/update_cost.py --base-url http://127.0.0.1:8080/v1
    python benchmarks/update_cost.py --fake               # no model: a scripted stand-in (a smoke test)

It summarizes examples/putin-nk-troops/001-003 (from the answer cache when an earlier run left it),
updates that brief with 004, and separately summarizes 001-004 afresh (cache off, so the model
really answers). It prints model calls, prompt + completion tokens and wall time for the update and
the fresh run, and what 004 added. ``--json`` prints the measurements as one JSON object instead.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from summarizer.backends.base import ChatBackend, ChatRequest
from summarizer.config import Config, resolve
from summarizer.ingest import load_articles
from summarizer.pipeline import Pipeline
from summarizer.schema import StoryBrief
from summarizer.updates import Updater

SEED = ROOT / "examples" / "putin-nk-troops"


def fake_backend() -> ChatBackend:
    """A stand-in that answers with sentences its prompt offers (see tests/digest_fake.py)."""
    from digest_fake import FACT, extractive_answer

    from summarizer.backends.testing import FunctionBackend

    def answer(request: ChatRequest) -> Any:
        if request.purpose == "update":
            facts = FACT.findall(request.messages[-1]["content"])
            return {"whats_new": [{"text": text, "facts": [int(n)]} for n, text in facts[:2]]}
        return extractive_answer(request)

    return FunctionBackend(answer, model="fake")


def _cost(brief: StoryBrief, seconds: float) -> dict[str, Any]:
    run = brief.run
    return {"calls": run.llm_calls, "cache_hits": run.cache_hits, "prompt_tokens": run.prompt_tokens,
            "completion_tokens": run.completion_tokens, "tokens": run.prompt_tokens + run.completion_tokens,
            "seconds": round(seconds, 2)}


def measure(config: Config, backend: ChatBackend | None = None, seed: Path = SEED) -> dict[str, Any]:
    """Summarize 001-003 (cache allowed), update with 004, and summarize 001-004 with the cache off."""
    paths = sorted(seed.glob("00[1-4]_*.txt"))
    old, new = load_articles(*paths[:3]), load_articles(paths[3])
    cached = Pipeline(backend, config)
    base = cached.run(old)
    uncached = Pipeline(cached.backend, config.with_(use_cache=False))
    started = time.perf_counter()
    updated = Updater(pipeline=uncached).run(base, new)
    update_s = time.perf_counter() - started
    started = time.perf_counter()
    fresh = uncached.run(load_articles(*paths))
    fresh_s = time.perf_counter() - started
    assert updated.whats_new is not None
    w = updated.whats_new
    return {
        "model": updated.run.model,
        "base": _cost(base, base.run.duration_s),
        "update": _cost(updated, update_s),
        "fresh": _cost(fresh, fresh_s),
        "added": {
            "whats_new": [s.text for s in w.summary],
            "facts": len(w.facts),
            "figures": [{"subject": f.subject, "added": [f"{c.value} according to {c.claimant}" for c in f.added]}
                        for f in w.figures],
            "actors": [p.actor for p in w.actors],
            "quotes": [f"{st.speaker}: {st.renderings[0].text}" for st in w.quotes],
            "changes": updated.versions[-1].changes,
        },
    }


def report(m: dict[str, Any]) -> str:
    """The measurements as a Markdown table and a list of what 004 added."""
    rows = ["| run | calls | cache hits | prompt tokens | completion tokens | wall time |", "|---|---|---|---|---|---|"]
    for name in ("update", "fresh"):
        c = m[name]
        label = "update 001-003 + 004" if name == "update" else "fresh 001-004"
        rows.append(f"| {label} | {c['calls']} | {c['cache_hits']} | {c['prompt_tokens']:,} | "
                    f"{c['completion_tokens']:,} | {c['seconds']:.1f} s |")
    u, f = m["update"], m["fresh"]
    share = f"{u['tokens'] / f['tokens']:.0%}" if f["tokens"] else "n/a"
    lines = [f"model: {m['model']}", *rows, "", f"update tokens / fresh tokens: {share}", "", "what 004 added:"]
    lines += [f"- {line}" for line in m["added"]["changes"]]
    lines += [f"- what's new: {text}" for text in m["added"]["whats_new"]]
    lines += [f"- changed figure {x['subject']}: {'; '.join(x['added'])}" for x in m["added"]["figures"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["auto", "local", "openai"], help="as for `summarizer summarize`")
    parser.add_argument("-m", "--model")
    parser.add_argument("--base-url", dest="base_url")
    parser.add_argument("--fake", action="store_true", help="a scripted stand-in instead of a model")
    parser.add_argument("--cache-dir", dest="cache_dir", help="answer cache (default: the user cache; --fake: a temp dir)")
    parser.add_argument("--json", action="store_true", help="print the measurements as JSON")
    args = parser.parse_args(argv)
    flags = {k: v for k, v in {"backend": args.backend, "model": args.model, "base_url": args.base_url,
                               "cache_dir": args.cache_dir}.items() if v}
    with tempfile.TemporaryDirectory() as tmp:
        if args.fake and not args.cache_dir:
            flags["cache_dir"] = tmp
        config = resolve(flags)
        m = measure(config, fake_backend() if args.fake else None)
    print(json.dumps(m, indent=2, ensure_ascii=False) if args.json else report(m))
    return 0


if __name__ == "__main__":
    sys.exit(main())
