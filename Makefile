# Every target bootstraps its own virtual environment: a fresh machine needs only Python 3.11+.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: test demo system lint schema translations bench clean

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
	@# The screen tests read the walkthrough in tmux; they skip where it cannot be had.
	@command -v tmux >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	    apt-get install -y -qq tmux >/dev/null 2>&1; } || echo "tmux not installed: screen tests skip"
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

# The tool's own words: extract them, merge new ones into each language's .po, compile the .mo
# files that ship (a test checks they match the .po). Translate the .po files in between.
LOCALES := ar he zh_Hant
translations: $(VENV)/.installed-test
	$(BIN)/pybabel -q extract -F babel.cfg -k _h -o audit/locale/cxaudit.pot --no-location \
	    --sort-output --project cxaudit --copyright-holder cxaudit .
	for l in $(LOCALES); do \
	    $(BIN)/pybabel -q update -i audit/locale/cxaudit.pot -d audit/locale -D cxaudit -l $$l \
	        --no-fuzzy-matching --ignore-obsolete || exit 1; done
	$(BIN)/pybabel compile -d audit/locale -D cxaudit --statistics

bench: $(VENV)/.installed-test
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/render.py
	$(BIN)/python bench/languages.py
	$(BIN)/python bench/portfolio.py
	$(BIN)/python bench/screens.py screens  # skips without Chromium

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis dist build
