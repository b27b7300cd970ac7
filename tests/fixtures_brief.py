"""A hand-built, realistic StoryBrief of the seed cluster (examples/putin-nk-troops/).

The brief is written by hand, but everything in it that claims to come from the
articles does: each quote is located in the article text when the fixture is
built (so its ``start``/``end`` offsets are real and a typo fails loudly), and
entity mention counts are counted in the texts. Tests for the renderers, the
CLI and grounding can reuse ``seed_brief(articles)`` and ``hostile_brief(articles)``,
given the articles of the ``seed_cluster`` fixture (tests/conftest.py):
``seed_brief(seed_cluster.articles())``.

Those articles are the seed files' exact contents (no dependency on the ingest
module), so the quote offsets are file offsets too.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from summarizer.schema import (
    Article,
    CitedSentence,
    Claim,
    Disagreement,
    Entities,
    Entity,
    GroundingIssue,
    GroundingReport,
    Perspective,
    Quote,
    RunMetadata,
    Source,
    Statement,
    StoryBrief,
    Summary,
)


def _quote(articles: dict[str, Article], article_id: str, speaker: str, span: str) -> Quote:
    """A Quote for ``span`` in the article, with its real offsets; fails if the span is not verbatim."""
    text = articles[article_id].text
    start = text.find(span)
    if start < 0:
        raise ValueError(f"fixture quote is not verbatim in {article_id}: {span!r}")
    return Quote(text=span, speaker=speaker, article_id=article_id, start=start, end=start + len(span))


def _sentence_with(articles: dict[str, Article], article_id: str, needle: str) -> str:
    """The sentence of the article that contains ``needle`` (used as a claim's evidence)."""
    text = articles[article_id].text
    at = text.find(needle)
    if at < 0:
        raise ValueError(f"fixture evidence not found in {article_id}: {needle!r}")
    start = max(text.rfind(". ", 0, at) + 2, text.rfind("\n", 0, at) + 1)
    end_candidates = [i for i in (text.find(". ", at), text.find(".\n", at)) if i >= 0]
    end = min(end_candidates) + 1 if end_candidates else len(text)
    return text[start:end].strip()


# Surface forms counted as mentions of each entity (case-sensitive, whole words).
_ENTITY_FORMS: dict[str, dict[str, tuple[str, ...]]] = {
    "countries": {
        "Russia": ("Russia", "Russian Federation"),
        "North Korea": ("North Korea", "N. Korea", "DPRK"),
        "Ukraine": ("Ukraine",),
        "South Korea": ("South Korea",),
        "United States": ("United States", "U.S."),
        "China": ("China",),
        "India": ("India",),
    },
    "organizations": {
        "BRICS": ("BRICS",),
        "Ukraine's Defense Intelligence Directorate (HUR)": ("Defense Intelligence Directorate", "HUR"),
        "National Intelligence Service (South Korea)": ("National Intelligence Service",),
        "U.S. Department of Defense": ("Department of Defense", "Pentagon"),
        "State Duma": ("State Duma",),
        "United Nations": ("United Nations", "U.N.", "UN"),
        "NATO": ("NATO",),
    },
    "persons": {
        "Vladimir Putin": ("Putin",),
        "Kim Jong Un": ("Kim Jong Un",),
        "Lloyd Austin": ("Lloyd Austin", "Austin"),
        "Volodymyr Zelenskyy": ("Zelenskyy",),
        "Kyrylo Budanov": ("Budanov",),
        "Maria Zakharova": ("Zakharova",),
        "Sabrina Singh": ("Sabrina Singh",),
        "António Guterres": ("Guterres",),
    },
}


def _entities(articles: list[Article]) -> Entities:
    groups: dict[str, list[Entity]] = {}
    for group, names in _ENTITY_FORMS.items():
        found = []
        for name, forms in names.items():
            pattern = re.compile("|".join(rf"(?<!\w){re.escape(f)}(?!\w)" for f in forms))
            counts = {a.id: len(pattern.findall(a.text)) for a in articles}
            mentions = sum(counts.values())
            if mentions:
                found.append(Entity(name=name, mentions=mentions, sources=[i for i, n in counts.items() if n]))
        groups[group] = sorted(found, key=lambda e: -e.mentions)
    return Entities(**groups)


def seed_brief(articles: list[Article]) -> StoryBrief:
    """The hand-built brief of the seed cluster, grounded in its ``articles`` (ids ``001``..``004``)."""
    by_id = {a.id: a for a in articles}

    def q(article_id: str, speaker: str, span: str) -> Quote:
        return _quote(by_id, article_id, speaker, span)

    putin = "Vladimir Putin"
    perspectives = [
        Perspective(
            actor=putin,
            role="President of Russia",
            stance="Neither confirmed nor denied the deployment; said how Russia applies its treaty "
            "with North Korea is Russia's own business.",
            statements=[
                # One remark, rendered three ways (two of them translated) by three outlets.
                Statement(
                    speaker=putin,
                    renderings=[
                        q("002", putin, "Images are a serious thing. If there are images, then they reflect something."),
                        q("003", putin, "Images — if they exist, they indicate something significant"),
                        q("004", putin, "The satellite images are serious, and if the photos exist, they must reflect something."),
                    ],
                ),
                Statement(
                    speaker=putin,
                    renderings=[
                        q("001", putin, "But what we do within the framework of this article is our business."),
                        q("003", putin, "it is for us to determine how to implement it"),
                        q("004", putin, "It is our business to decide what and how to do under these provisions"),
                    ],
                ),
                Statement(
                    speaker=putin,
                    renderings=[q("002", putin, "We’ll see how this process develops")],
                ),
            ],
            sources=["001", "002", "003", "004"],
        ),
        Perspective(
            actor="United States",
            role="Defense Secretary Lloyd Austin and the Pentagon",
            stance="Says there is evidence North Korean troops went to Russia; calls their possible "
            "use in the war very serious.",
            statements=[
                Statement(
                    speaker="Lloyd Austin",
                    renderings=[
                        q("001", "Lloyd Austin",
                          "We are seeing evidence that there are North Korean troops that have gone to … Russia"),
                    ],
                ),
                Statement(
                    speaker="Sabrina Singh",
                    renderings=[
                        q("004", "Sabrina Singh",
                          "There is evidence that North Korean troops went to Russia, and we need to observe "
                          "exactly what they are doing. This is something we are monitoring."),
                    ],
                ),
            ],
            sources=["001", "003", "004"],
        ),
        Perspective(
            actor="Russian Foreign Ministry",
            role="Spokesperson Maria Zakharova",
            stance="Had denied the reports of a deployment the day before Putin spoke.",
            statements=[
                Statement(speaker="Maria Zakharova", renderings=[q("001", "Maria Zakharova", "false and exaggerated")]),
            ],
            sources=["001"],
        ),
        Perspective(
            actor="Ukraine",
            role="President Volodymyr Zelenskyy and military intelligence (HUR)",
            stance="Reports North Korean units already in the Kursk region and warns of a larger deployment.",
            statements=[],
            sources=["001", "002", "003", "004"],
        ),
    ]

    claims = [
        Claim(
            value="3,000 troops",
            claimant="South Korea's intelligence agency",
            sources=["002", "003"],
            evidence=_sentence_with(by_id, "003", "around 3,000 North Korean soldiers"),
        ),
        Claim(
            value="at least 3,000 soldiers",
            claimant="United States",
            sources=["004"],
            evidence=_sentence_with(by_id, "004", "at least 3,000 soldiers"),
        ),
        Claim(
            value="about 10,000 soldiers",
            claimant="Volodymyr Zelenskyy",
            sources=["002"],
            evidence=_sentence_with(by_id, "002", "approximately 10,000 North Korean soldiers"),
        ),
        Claim(
            value="as many as 12,000 soldiers",
            claimant="Ukraine",
            sources=["001", "003"],
            evidence=_sentence_with(by_id, "003", "as many as 12,000 North Korean soldiers"),
        ),
    ]
    disagreements = [Disagreement(subject="North Korean troops sent to Russia", claims=claims)]

    summary = Summary(
        [
            CitedSentence(
                text="At a press conference closing the BRICS summit in Kazan, Vladimir Putin neither confirmed "
                "nor denied that North Korean troops had been deployed to Russia.",
                sources=["001", "002", "003", "004"],
            ),
            CitedSentence(
                text="Asked about satellite images of North Korean soldiers, he said such images reflect "
                "something, and that how Russia applies the mutual-defence article of its treaty with "
                "North Korea is Russia's own business.",
                sources=["001", "003", "004"],
            ),
            CitedSentence(
                text="Russia's parliament ratified the treaty, which provides for military assistance, "
                "earlier the same day.",
                sources=["001", "003", "004"],
            ),
            CitedSentence(
                text="Estimates of the deployment differ: South Korea's intelligence agency put it at about "
                "3,000 soldiers, while Ukrainian officials spoke of 10,000 to 12,000.",
                sources=["002", "003"],
            ),
        ]
    )
    key_points = [
        CitedSentence(text="Putin's remarks were his first public comments on the reported deployment.",
                      sources=["002", "004"]),
        CitedSentence(text="Ukraine's military intelligence said the first North Korean units had reached "
                      "Russia's Kursk region.", sources=["001", "002", "003", "004"]),
        CitedSentence(text="U.S. Defense Secretary Lloyd Austin said there was evidence of North Korean "
                      "troops in Russia and called it a very serious issue.", sources=["001", "003"]),
        CitedSentence(text="A day earlier, Russia's Foreign Ministry had called the reports false and "
                      "exaggerated.", sources=["001"]),
    ]

    sources = [
        Source(article_id=a.id, outlet=a.outlet, title=a.title, url=a.url, author=a.author,
               published_at=a.published_at, language=a.language)
        for a in articles
    ]

    quotes = [r for p in perspectives for s in p.statements for r in s.renderings]
    grounding = GroundingReport(
        quotes_checked=len(quotes) + 2,
        quotes_repaired=1,
        quotes_dropped=1,
        sentences_checked=len(summary) + len(key_points),
        sentences_repaired=1,
        sentences_dropped=0,
        numbers_checked=9,
        numbers_unsupported=1,
        names_checked=14,
        names_unsupported=0,
        loaded_terms=1,
        reasks=1,
        issues=[
            GroundingIssue(
                kind="quote_repaired",
                where="perspectives[0].statements[1].renderings[0]",
                detail="Quote began with a stray space inside the quotation mark; trimmed to the verbatim span.",
                action="repaired",
            ),
            GroundingIssue(
                kind="quote_fabricated",
                where="perspectives[3].statements[0]",
                detail="'North Korean troops are already fighting in Kursk' does not occur in any article.",
                action="dropped",
            ),
            GroundingIssue(
                kind="number_unsupported",
                where="summary[3]",
                detail="'11,500' appears in no article; the sentence was re-asked and now cites 002 and 003.",
                action="reasked",
            ),
            GroundingIssue(
                kind="citation_repaired",
                where="key_points[0]",
                detail="Cited 001, which does not say the remarks were his first; replaced with 002 and 004.",
                action="repaired",
            ),
            GroundingIssue(
                kind="loaded_language",
                where="perspectives[3].stance",
                detail="'invasion force' replaced by a neutral description.",
                action="repaired",
            ),
        ],
    )

    run = RunMetadata(
        model="gpt-4o-mini",
        backend="openai",
        llm_calls=3,
        prompt_tokens=9412,
        completion_tokens=1187,
        cache_hits=1,
        reasks=1,
        transport_retries=0,
        duration_s=14.2,
        plan="single",
        prompts={"synthesize.j2": "3f9a1c2b7d10", "reask.j2": "b52e0c91aa47"},
        estimated_cost_usd=0.0021,
        created_at=datetime(2024, 10, 26, 9, 0, tzinfo=timezone.utc),
        summarizer_version="0.1.0",
    )

    return StoryBrief(
        title="Putin does not deny North Korean troops are in Russia",
        summary=summary,
        key_points=key_points,
        perspectives=perspectives,
        disagreements=disagreements,
        sources=sources,
        entities=_entities(articles),
        topics=["Russia-North Korea Relations", "Russia-Ukraine War", "South Korea Foreign Policy", "BRICS"],
        grounding=grounding,
        run=run,
    )


# Article-derived strings a hostile or broken page could carry into a brief.
HOSTILE_QUOTE = "<script>document.title='pwned';document.body.insertAdjacentHTML('beforeend','<p id=\"injected\">x</p>')</script>"
HOSTILE_OUTLET = "<b>x</b>"
HOSTILE_URL = "javascript:alert(1)"
# No alert() in anything that would run on load: a modal would hang headless Chromium instead of failing.
HOSTILE_CLAIMANT = "South | Korea <img src=x onerror=document.title='pwned'>"


def hostile_brief(articles: list[Article]) -> StoryBrief:
    """The seed brief with script/HTML injected into a quote, an outlet, a title and a URL.

    Renderers must show these as text and never let them run or link.
    """
    brief = seed_brief(articles)
    data = brief.model_dump(mode="json", by_alias=True)
    data["perspectives"][0]["statements"][2]["renderings"][0]["text"] = HOSTILE_QUOTE
    data["sources"][0]["outlet"] = HOSTILE_OUTLET
    data["sources"][0]["url"] = HOSTILE_URL
    data["sources"][1]["url"] = "https://euromaidanpress.com/"
    data["sources"][2]["title"] = "Pipes | and <i>tags</i> & [brackets]"
    data["disagreements"][0]["claims"][0]["claimant"] = HOSTILE_CLAIMANT
    return StoryBrief.model_validate(data)
