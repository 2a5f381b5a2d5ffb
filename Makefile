# bclm-kg — the README's quickstart is `make run` then `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint build ontology docs browser bench bench-scale clean

run: $(STAMP)
	$(BIN)/bclm-kg build
	$(BIN)/bclm-kg export evidence --format tsv --out build/evidence.tsv
	@echo "--- example: the first rows of build/evidence.tsv"
	@head -n 6 build/evidence.tsv
	$(BIN)/bclm-kg viz --out build/bclm-network.html
	$(BIN)/bclm-kg plot --out build
	@echo "--- example query: every lesion-size cut-off across modalities, with its direction"
	$(BIN)/bclm-kg query size_thresholds --format md
	@echo "--- example query: studies reported by more than one review"
	$(BIN)/bclm-kg query multi_review_studies --format md

test: $(STAMP) lint browser
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

build: $(STAMP)
	$(BIN)/bclm-kg build

docs: $(STAMP)
	$(BIN)/bclm-kg docs

# Time every template (Oxigraph against rdflib) and load-test the server; writes
# docs/benchmarks.md. Speed is measured here, never in the tests.
bench: $(STAMP)
	test -f build/bclm-kg.ttl || $(BIN)/bclm-kg build
	$(BIN)/python bench/queries.py
	$(BIN)/python bench/load.py

# Cost growth with synthetic studies (long: the default sizes go to 1M); SIZES="1000 10000".
bench-scale: $(STAMP)
	$(BIN)/python bench/scale.py $(SIZES)

# Refresh the committed ontology/bclm.owl and ontology/bclm.ttl after editing terms.yaml.
ontology: $(STAMP)
	$(BIN)/bclm-kg ontology

# Debian's Chromium runs the browser tests (tests/viz). Installed here when it is missing, as
# root with apt-get; where that is impossible this says so and the browser tests fail saying why.
CHROMIUM := /usr/bin/chromium

browser:
	@if [ -x $(CHROMIUM) ]; then \
		echo "browser: $(CHROMIUM) found"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "browser: installing Debian's chromium with apt-get"; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } \
			|| echo "browser: apt-get could not install chromium; the browser tests will fail"; \
	else \
		echo "browser: $(CHROMIUM) is missing and this is not root with apt-get;" \
			"install Debian's chromium or the browser tests will fail"; \
	fi

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf build .pytest_cache .ruff_cache
