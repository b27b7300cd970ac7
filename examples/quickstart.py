"""Summarize the example cluster with the library API and write all three renderings.

    python examples/quickstart.py                      # embedded local model, offline
    OPENAI_API_KEY=... python examples/quickstart.py   # OpenAI (gpt-4o-mini by default)
    OPENAI_BASE_URL=http://127.0.0.1:8080/v1 python examples/quickstart.py   # any compatible server
"""

from __future__ import annotations

from pathlib import Path

from summarizer import load_articles, summarize
from summarizer.output.render import to_html, to_json, to_markdown

HERE = Path(__file__).resolve().parent

articles = load_articles(HERE / "putin-nk-troops")
brief = summarize(articles, progress=print)

print(brief.title)
print(brief.summary)  # plain text; brief.summary[i].sources has each sentence's citations
for d in brief.disagreements:
    print(d.subject, "->", "; ".join(f"{c.value} ({c.claimant})" for c in d.claims))
for quote in brief.quotes:
    print(f"{quote.speaker} [{quote.article_id}]: “{quote.text}”")

out = HERE / "output"
out.mkdir(exist_ok=True)
(out / "putin-nk-troops.json").write_text(to_json(brief), encoding="utf-8")
(out / "putin-nk-troops.md").write_text(to_markdown(brief), encoding="utf-8")
(out / "putin-nk-troops.html").write_text(to_html(brief), encoding="utf-8")
print(f"wrote {out}/putin-nk-troops.{{json,md,html}}")
