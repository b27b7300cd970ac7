"""The public schema reads as documentation, and a brief renders itself (issue 15, items 15 and 16)."""

from __future__ import annotations

import json

from summarizer.cli import main
from summarizer.render import to_html, to_json, to_markdown
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
