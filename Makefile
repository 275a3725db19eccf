# Two commands do everything on a fresh machine:
#   make demo   set up, then validate and export every bank in banks/ (into build/export/)
#   make test   set up, then run the gate: format check, lint, mypy --strict, pytest + coverage
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test setup check clean bench system

setup: $(STAMP) system

$(STAMP): pyproject.toml tests/gift_parser/package.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[anki,dev]"
	cd tests/gift_parser && npm ci --silent --no-audit --no-fund
	touch $(STAMP)

# The system programs the banks and tests drive: chromium for the HTML page's browser tests,
# cc, bash, node and unshare for the other languages (apt; nothing when all are present).
system:
	bash scripts/install-system.sh

demo: $(STAMP) system
	$(BIN)/qbank validate banks/
	$(BIN)/qbank export banks/ --format all -o build/export
	@echo "exports written to build/export/"

test: $(STAMP) system
	$(BIN)/python scripts/gate.py

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_validate.py
	$(BIN)/python benchmarks/bench_languages.py
	$(BIN)/python benchmarks/bench_variants.py
	$(BIN)/python benchmarks/bench_export.py

clean:
	rm -rf $(VENV) build .qbank_cache .pytest_cache .mypy_cache .ruff_cache .coverage
