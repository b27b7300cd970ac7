"""A scripted stand-in for the model in digest tests: it answers with sentences the prompt quotes.

It reads whatever the synthesis prompt offers (numbered facts, or whole ``<article>`` blocks) and
returns those sentences: as a headline and a paragraph for the prose call, else cited by their
numbers in the shape the request's JSON schema asks for, so the grounding checks pass without any model.
"""

from __future__ import annotations

import re
from typing import Any

from summarizer.backends.base import ChatRequest
from summarizer.pipeline import requests
from summarizer.text.loaded import loaded_terms
from summarizer.text.sentences import sentence_spans

# "[3] (New York Times (News), CNN) text": outlet lists may hold one level of parentheses.
FACT = re.compile(r"^\[(\d+)\] \((?:[^()\n]|\([^()\n]*\))*\) (.+)$", re.MULTILINE)
PROSE_FACTS = re.compile(r"^- (.+)$", re.MULTILINE)  # the prose call's listed facts
PROSE_HEADER = requests.PROSE_HEADER
ARTICLE = re.compile(r'<article number="(\d+)"[^>]*>\n(?:Title: [^\n]*\n)?(.*?)\n</article>', re.DOTALL)


def _offered(content: str) -> list[tuple[int, str]]:
    """(number, sentence) pairs the prompt offers; sentences with loaded words are left out (a re-ask)."""
    return [(n, s) for n, s in _numbered(content) if not loaded_terms(s)]


def _numbered(content: str) -> list[tuple[int, str]]:
    facts = [(int(n), text.strip()) for n, text in FACT.findall(content)]
    if facts:
        return facts
    out = []
    for n, body in ARTICLE.findall(content):
        spans = sentence_spans(body)
        out.extend((int(n), body[a:b].strip()) for a, b in spans[:2])
    return out


def prose_answer(content: str, copied: int = 4) -> str:
    """The prose call's answer: a headline from the first fact, then the first ``copied`` facts as one
    paragraph (those without loaded words)."""
    listed = content.split(PROSE_HEADER, 1)[-1].split("\n\n", 1)[0]
    facts = [t.strip() for t in PROSE_FACTS.findall(listed) if not loaded_terms(t)]
    assert facts, "the prompt offered no facts to copy:\n" + content[:600]
    return " ".join(facts[0].split()[:10]).rstrip(",.;:") + "\n\n" + " ".join(facts[:copied])


def extractive_answer(request: ChatRequest) -> dict[str, Any] | str:
    """An answer for ``request`` built from the sentences its prompt offers."""
    # The whole conversation: a re-ask's last message holds only the problems, not the facts.
    content = "\n".join(m.get("content", "") for m in request.messages if m.get("role") == "user")
    if request.purpose == "prose":
        return prose_answer(content)
    offered = _offered(content)
    assert offered, "the prompt offered no facts or articles to copy:\n" + content[:600]
    if request.purpose.startswith("extract"):
        return {"facts": [t for _, t in offered[:4]], "actors": []}
    schema = request.schema or {}
    sentence = schema.get("$defs", {}).get("DraftSentence", {}).get("properties", {})
    key = "facts" if "facts" in sentence else "sources"
    summary = schema.get("properties", {}).get("summary", {})
    low, high = summary.get("minItems", 2), summary.get("maxItems", 4)
    longest = sentence.get("text", {}).get("maxLength", 320)
    picks = [(n, t) for n, t in offered if len(t) <= longest][:high] or [(offered[0][0], offered[0][1][:longest])]
    while len(picks) < low:
        picks.append(picks[-1])
    title = " ".join(offered[0][1].split()[:10]).rstrip(",.;:")
    return {
        "title": title,
        "summary": [{"text": text, key: [n]} for n, text in picks],
        "key_points": [],
        "perspectives": [],
        "topics": ["News"],
    }
