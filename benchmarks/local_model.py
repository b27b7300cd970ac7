"""Raw speed of the embedded model: one grammar-constrained call over the four seed articles.

Measures load time, prompt tokens/s, generated tokens/s (grammar sampling included)
and peak RSS for one model per process, so the memory figure is that model's alone:

    python benchmarks/local_model.py --model qwen2.5-0.5b
    python benchmarks/local_model.py --model qwen2.5-1.5b --json

This is the model alone, not the pipeline (no grounding, no re-asks).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

from summarizer.backends.base import ChatRequest
from summarizer.backends.local import LocalBackend
from summarizer.schema import BriefDraft

SEEDS = Path(__file__).resolve().parent.parent / "examples" / "putin-nk-troops"

SYSTEM = (
    "You write neutral, factual briefs of news stories from several articles. Use only facts the "
    "articles state, attribute claims to whoever makes them, and never use double quotes inside strings. "
    "Cite articles by number."
)


def seed_articles(folder: Path) -> list[str]:
    """The four articles (001-004); 000 is the reference page, not a source."""
    files = sorted(p for p in folder.glob("*.txt") if not p.name.startswith("000"))
    if len(files) < 4:
        raise SystemExit(f"expected the seed articles 001-004 in {folder}")
    return [p.read_text(encoding="utf-8") for p in files[:4]]


def build_request(articles: list[str], max_tokens: int) -> ChatRequest:
    body = "\n\n".join(f"[Article {i}]\n{text.strip()}" for i, text in enumerate(articles, start=1))
    user = (
        f"{body}\n\nWrite the brief of this story as JSON: a title, 2-5 summary sentences, key points, "
        "the actors' perspectives and topics."
    )
    return ChatRequest(
        messages=({"role": "system", "content": SYSTEM}, {"role": "user", "content": user}),
        schema=BriefDraft.model_json_schema(),
        max_tokens=max_tokens,
        purpose="benchmark",
    )


def peak_rss_bytes() -> int:
    # ru_maxrss is KiB on Linux and bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def run(
    model: str, threads: int | None, max_tokens: int, seeds: Path, show: bool = False
) -> dict[str, object]:
    backend = LocalBackend(model, threads=threads)
    started = time.perf_counter()
    backend.load()
    request = build_request(seed_articles(seeds), max_tokens)
    completion = backend.complete(request)
    t = backend.last_timings
    assert t is not None
    valid = True
    try:
        BriefDraft.model_validate_json(completion.text)
    except ValueError:
        valid = False
    return {
        "model": model,
        "threads": backend.threads,
        "load_s": round(backend.load_seconds or 0.0, 2),
        "prompt_tokens": completion.usage.prompt_tokens,
        "prompt_tok_s": round(t.prompt_tokens_per_second, 1),
        "generated_tokens": completion.usage.completion_tokens,
        "gen_tok_s_with_grammar": round(t.generation_tokens_per_second, 1),
        "decode_tok_s_without_sampling": round(t.generated_tokens / t.decode_seconds, 1)
        if t.decode_seconds
        else 0,
        "call_wall_s": round(t.wall_seconds, 1),
        "total_wall_s": round(time.perf_counter() - started, 1),
        "peak_rss_gb": round(peak_rss_bytes() / 1e9, 2),
        "finish_reason": completion.finish_reason,
        "valid_brief_draft": valid,
        **({"text": completion.text} if show else {}),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="qwen2.5-0.5b")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--max-tokens", type=int, default=700)
    parser.add_argument("--seeds", type=Path, default=SEEDS)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.add_argument("--show", action="store_true", help="also print the model's output")
    args = parser.parse_args(argv)
    result = run(args.model, args.threads, args.max_tokens, args.seeds, args.show)
    if args.json:
        print(json.dumps(result))
    else:
        width = max(map(len, result))
        for key, value in result.items():
            print(f"{key:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
