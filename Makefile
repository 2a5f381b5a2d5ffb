# bclm-kg — the README's quickstart is `make run` then `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint build ontology docs clean

run: $(STAMP)
	$(BIN)/bclm-kg build
	$(BIN)/bclm-kg export evidence --format tsv --out build/evidence.tsv
	@echo "--- example: the first rows of build/evidence.tsv"
	@head -n 6 build/evidence.tsv

test: $(STAMP) lint
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

build: $(STAMP)
	$(BIN)/bclm-kg build

docs: $(STAMP)
	$(BIN)/bclm-kg docs

# Refresh the committed ontology/bclm.owl and ontology/bclm.ttl after editing terms.yaml.
ontology: $(STAMP)
	$(BIN)/bclm-kg ontology

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf build .pytest_cache .ruff_cache
