# Every target bootstraps its own virtual environment: a fresh machine needs only Python 3.11+.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: test demo system lint schema bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall when the project metadata changes; the stamp records which extras are in.
$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

# PDF rendering needs Pango, a font and HarfBuzz's subsetter: installed here when we are root
# on Debian, else the exact apt-get line is printed and the target fails.
system: $(VENV)/.installed
	$(BIN)/python -m audit.system --install

test: $(VENV)/.installed-test
	$(BIN)/python -m audit.system --install --best-effort
	$(BIN)/python -m pytest

demo: system
	$(BIN)/cxaudit demo

lint: $(VENV)/.installed-test
	$(BIN)/pip install --quiet ruff mypy types-PyYAML
	$(BIN)/ruff check audit tests bench
	$(BIN)/mypy

# Regenerate the JSON Schema shipped beside the checklists (a test checks it is current).
schema: $(VENV)/.installed
	$(BIN)/cxaudit checklist schema > checklists/checklist.schema.json

bench: $(VENV)/.installed-test
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/render.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis dist build
