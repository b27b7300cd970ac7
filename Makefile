# The two commands in the README:
#   make demo   installs everything (incl. the llama.cpp build, ~5-8 min on 2 cores) and summarizes the example offline
#   make test   installs everything plus test tools and runs the test suite
# A virtual environment in .venv keeps it off the system Python.

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
# Portable llama.cpp build (no -march=native), no multimodal part: ~5 min instead of ~8, same speed.
export CMAKE_ARGS ?= -DLLAVA_BUILD=OFF -DGGML_NATIVE=OFF
# A strict editable install is a tree of links in build/, a plain directory that type checkers
# (mypy, pyright) can see; the default mode's import hook is invisible to them. A new module
# appears after the next `make install`. tests/test_packaging.py type-checks a user script against it.
# It is a second, --no-deps step: pip hands --config-settings to every source build in a command, and
# llama-cpp-python's build backend (scikit-build-core) may reject a setting it does not know.
EDITABLE = --config-settings editable_mode=strict -e

.PHONY: install install-test demo test eval bench browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -e '.[local,html,digest]'
	$(BIN)/pip install -q --no-deps $(EDITABLE) .

install-test: $(BIN)/python
	$(BIN)/pip install -e '.[local,html,digest,server,weights-0p5b,test]'
	$(BIN)/pip install -q --no-deps $(EDITABLE) .

# Debian's chromium for the page screenshot test (skipped when absent and not root).
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || echo "chromium not installed: browser tests will be skipped"; }

demo: install
	$(BIN)/python -m summarizer summarize examples/putin-nk-troops/ --format md

test: install-test browser
	$(BIN)/python -m pytest -q -rs

eval: install-test
	$(BIN)/python -m summarizer eval run --dataset seed --backend local --no-cache

bench: install-test
	$(BIN)/python benchmarks/bench_local.py

clean:
	rm -rf $(VENV) build dist *.egg-info
