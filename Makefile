# icare tracker: one command per job. Only Python 3.11+ is needed; make creates .venv.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app tracker
INSTALLED := $(VENV)/.installed

.PHONY: run test lint bench clean translations

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(INSTALLED): setup.cfg pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# A random secret for this machine's instance, made once and never committed.
instance/config.py:
	@mkdir -p instance
	@$(PY) -c "import secrets; print(f'SECRET_KEY = \"{secrets.token_hex(32)}\"')" > $@
	@echo "Wrote a new SECRET_KEY to $@"

run: $(INSTALLED) instance/config.py translations
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	$(FLASK) digest compile
	@echo "Serving on http://127.0.0.1:5000 (Ctrl+C to stop)"
	$(FLASK) run --host 127.0.0.1 --port 5000

test: $(INSTALLED) translations
	$(PY) -m pytest

# Compiled catalogues (.mo) are not committed; build them from the .po files.
translations: $(INSTALLED)
	$(VENV)/bin/pybabel compile -d tracker/translations

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	$(FLASK) digest clean
