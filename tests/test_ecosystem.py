"""Behaving like the openai SDK and failing clearly (issue 15): keys and environment, retries,
model controls, configuration checked up front, and errors that name the setting to fix."""

from __future__ import annotations

import pytest

from summarizer import errors
from summarizer.backends.base import ChatRequest
from summarizer.backends.factory import make_backend
from summarizer.backends.openai import OpenAIBackend
from summarizer.config import Config, resolve
from tests.fault_server import Fault, FaultServer

REQUEST = ChatRequest(messages=({"role": "user", "content": "hello"},), max_tokens=77, temperature=0.2)
KEY = "env-key-0123456789"


def _auth(srv: FaultServer) -> str:
    return srv.completions[-1].headers.get("authorization", "")


# --------------------------------------------------------------------------- item 4: keys and environment


def test_backend_sends_the_environment_key_not_a_placeholder(monkeypatch):
    with FaultServer() as srv:
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        OpenAIBackend("m", base_url=srv.base_url, max_retries=0).complete(REQUEST)
        assert _auth(srv) == f"Bearer {KEY}"


def test_backend_takes_the_base_url_from_the_environment(monkeypatch):
    with FaultServer() as srv:
        monkeypatch.setenv("OPENAI_BASE_URL", srv.base_url)
        OpenAIBackend("m", max_retries=0).complete(REQUEST)
        assert len(srv.completions) == 1


def test_an_explicit_key_beats_the_environment(monkeypatch):
    with FaultServer() as srv:
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        OpenAIBackend("m", api_key="explicit-key-42", base_url=srv.base_url, max_retries=0).complete(REQUEST)
        assert _auth(srv) == "Bearer explicit-key-42"


def test_a_plain_config_follows_the_openai_environment(monkeypatch):
    with FaultServer() as srv:
        monkeypatch.setenv("OPENAI_BASE_URL", srv.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        cfg = Config()
        assert cfg.resolved_backend == "openai"
        backend = make_backend(cfg.with_(max_retries=0))
        backend.complete(REQUEST)
        assert _auth(srv) == f"Bearer {KEY}"


@pytest.mark.parametrize("base_url", [None, "https://api.openai.com/v1"])
def test_openai_without_a_key_is_a_configuration_error(base_url):
    with pytest.raises(errors.ConfigError, match="OPENAI_API_KEY"):
        OpenAIBackend("gpt-4o-mini", base_url=base_url)
    with pytest.raises(errors.ConfigError, match="OPENAI_API_KEY"):
        resolve({"backend": "openai", "base_url": "https://api.openai.com/v1"}, env={})


# --------------------------------------------------------------------------- item 5: one retry budget


def test_a_users_client_does_not_stack_sdk_retries_under_ours():
    import openai

    with FaultServer(script=[Fault.server_error(500)] * 20) as srv:
        client = openai.OpenAI(api_key="k", base_url=srv.base_url, max_retries=2)
        backend = OpenAIBackend("m", client=client, max_retries=2, sleep=lambda s: None)
        with pytest.raises(errors.BackendError):
            backend.complete(REQUEST)
        assert len(srv.completions) == 3  # one call plus our two retries, not 3 x 3 with the SDK's own
    assert client.max_retries == 2  # the user's client itself is left as it was


# --------------------------------------------------------------------------- item 7: model controls


def test_reasoning_models_get_max_completion_tokens_and_no_temperature():
    for model in ("o3-mini", "o1", "gpt-5", "gpt-5-mini"):
        body = OpenAIBackend(model, api_key="k").request_body(REQUEST)
        assert body["max_completion_tokens"] == 77 and "max_tokens" not in body and "temperature" not in body
    for model in ("gpt-4o-mini", "gpt-5-chat-latest", "qwen2.5"):
        body = OpenAIBackend(model, api_key="k").request_body(REQUEST)
        assert body["max_tokens"] == 77 and body["temperature"] == 0.2


def test_context_window_and_max_output_tokens_are_settings():
    cfg = resolve({}, env={"SUMMARIZER_CONTEXT_WINDOW": "32000", "SUMMARIZER_MAX_OUTPUT_TOKENS": "2000",
                           "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"})
    assert cfg.context_window == 32000 and cfg.max_output_tokens == 2000
    assert make_backend(cfg).context_window == 32000


# --------------------------------------------------------------------------- item 10: checked up front


@pytest.mark.parametrize(("env", "named"), [
    ({"SUMMARIZER_MAX_REASKS": "-1"}, "--max-reasks / SUMMARIZER_MAX_REASKS must be at least 0"),
    ({"SUMMARIZER_TIMEOUT": "-1"}, "--timeout / SUMMARIZER_TIMEOUT must be above 0"),
    ({"SUMMARIZER_RESPONSE_FORMAT": "bogus"}, "json_schema, json_object_schema, json_object, none"),
    ({"SUMMARIZER_PRICES": "{not json"}, "SUMMARIZER_PRICES is not valid JSON"),
    ({"SUMMARIZER_PRICES": '{"m": [1]}'}, "SUMMARIZER_PRICES: 'm' must map to two prices"),
    ({"SUMMARIZER_MAX_OUTPUT_TOKENS": "0"}, "SUMMARIZER_MAX_OUTPUT_TOKENS must be at least 1"),
])
def test_bad_settings_fail_before_any_model_call_naming_the_setting(env, named):
    with pytest.raises(errors.ConfigError) as info:
        resolve({}, env=env)
    assert named in str(info.value)


def test_a_config_built_in_code_is_checked_too():
    with pytest.raises(errors.ConfigError, match="max-reasks"):
        Config(max_reasks=-1)


# --------------------------------------------------------------------------- item 11: what each failure means


def test_unknown_model_names_the_setting_and_lists_the_servers_models():
    with FaultServer(script=[Fault.server_error(404)]) as srv:
        backend = OpenAIBackend("no-such-model", base_url=srv.base_url, max_retries=0)
        with pytest.raises(errors.UnknownModelError) as info:
            backend.complete(REQUEST)
    assert "SUMMARIZER_MODEL" in str(info.value) and "fault-model" in str(info.value)
    assert info.value.available == ("fault-model",) and info.value.exit_code == 8


def test_rejected_key_and_unknown_model_and_server_failure_have_distinct_exit_codes():
    codes = {errors.AuthenticationError.exit_code, errors.UnknownModelError.exit_code, errors.BackendError.exit_code}
    assert len(codes) == 3
    assert errors.ModelNotFoundError is errors.WeightsNotFoundError  # the old name means local weights


def test_a_malformed_price_table_in_the_environment_fails_before_the_paid_call(monkeypatch):
    from summarizer.pipeline import Pipeline

    monkeypatch.setenv("SUMMARIZER_PRICES", "[1, 2]")
    with FaultServer() as srv:
        with pytest.raises(errors.ConfigError, match="SUMMARIZER_PRICES"):
            Pipeline(OpenAIBackend("gpt-4o-mini", base_url=srv.base_url), Config(base_url=srv.base_url))
        assert srv.completions == []
