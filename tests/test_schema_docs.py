"""The public schema reads as documentation, and a brief renders itself (issue 15, items 15 and 16)."""

from __future__ import annotations

import json

from summarizer.cli.main import main
from summarizer.output.render import to_html, to_json, to_markdown
from summarizer.schema import StoryBrief
from tests.fixtures_brief import seed_brief


def _undescribed(schema: dict) -> list[str]:
    missing = [f"StoryBrief.{k}" for k, v in schema["properties"].items() if "description" not in v]
    for name, definition in schema.get("$defs", {}).items():
        missing += [f"{name}.{k}" for k, v in definition.get("properties", {}).items() if "description" not in v]
    return missing


def test_every_property_of_the_public_schema_has_a_description():
    assert _undescribed(StoryBrief.model_json_schema()) == []


def test_the_schema_command_prints_the_descriptions(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert _undescribed(schema) == []
    assert "verbatim" in json.dumps(schema["$defs"]["Statement"])


def test_a_brief_renders_itself(seed_cluster):
    brief = seed_brief(seed_cluster.articles())
    assert brief.to_json() == to_json(brief) and json.loads(brief.to_json(indent=None))["title"] == brief.title
    assert brief.to_markdown() == to_markdown(brief)
    assert brief.to_html() == to_html(brief)


def test_descriptions_do_not_change_validation(seed_cluster):
    articles = seed_cluster.articles()
    brief = seed_brief(articles)
    again = StoryBrief.model_validate(json.loads(brief.to_json()), context={"articles": articles})
    assert again == brief


def test_pipeline_progress_events_carry_the_stage_and_tokens(seed_cluster):
    from summarizer.backends.testing import FunctionBackend
    from summarizer.config import Config
    from summarizer.pipeline import Pipeline
    from summarizer.progress import ProgressEvent
    from tests.fault_server import draft_responder

    def answer(request):  # the fault server's well-formed answer, without the server
        schema = {"type": "json_schema", "json_schema": {"schema": dict(request.schema or {})}}
        return draft_responder({"messages": list(request.messages), "response_format": schema})

    events: list[str] = []
    backend = FunctionBackend(answer)
    Pipeline(backend, Config(use_cache=False), progress=events.append).run(seed_cluster.articles())
    answered = [e for e in events if isinstance(e, ProgressEvent) and e.tokens]
    assert answered and answered[-1].done >= 1 and answered[-1].stage
    assert answered[-1].tokens > 0 and "tokens" in answered[-1]
