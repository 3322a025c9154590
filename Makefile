# icare tracker: one command per job. Only Python 3.11+ is needed; make creates .venv.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app tracker
INSTALLED := $(VENV)/.installed
PROVIDER := tests/identity/provider
PROVIDER_INSTALLED := $(PROVIDER)/node_modules/.installed

.PHONY: run test test-fast lint bench clean translations

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(INSTALLED): setup.cfg pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# The real OpenID provider that the end-to-end sign-in tests start, at the versions its lock file pins.
# Without npm the step is left out and those tests skip (they fail when TRACKER_REQUIRE_SERVICES is set).
$(PROVIDER_INSTALLED): $(PROVIDER)/package.json $(PROVIDER)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix $(PROVIDER) --no-audit --no-fund && touch $@; \
	else \
		echo "npm is not installed: the end-to-end OpenID sign-in tests will not run"; \
	fi

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

test: $(INSTALLED) $(PROVIDER_INSTALLED) translations
	$(PY) -m pytest

# The edit-run loop: everything but the browser tests and the load and fault tests that start real
# servers. CI runs the whole of `make test`.
test-fast: $(INSTALLED) translations
	$(PY) -m pytest --ignore=tests/browser -m "not load"

# Compiled catalogues (.mo) are not committed; build them from the .po files.
translations: $(INSTALLED)
	$(VENV)/bin/pybabel compile -d tracker/translations

# Dashboard speed and write throughput at 80,000 people and 1,000,000 recognitions on SQLite, then
# PostgreSQL (under 25 minutes; never part of `make test`). Results go in docs/benchmarks.md.
# BENCH_STAFF / BENCH_RECOGNITIONS change the scale, BENCH_WRITE_SECONDS the length of each write burst.
BENCH_SQLITE ?= /tmp/tracker-bench.db
BENCH_PG_HOST ?= 127.0.0.1
BENCH_PG_DB ?= tracker_bench
bench: $(INSTALLED)
	rm -f $(BENCH_SQLITE) $(BENCH_SQLITE)-wal $(BENCH_SQLITE)-shm $(BENCH_SQLITE)-writer.lock
	DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(PY) bench/dashboard.py
	DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(PY) bench/writes.py
	rm -f $(BENCH_SQLITE) $(BENCH_SQLITE)-wal $(BENCH_SQLITE)-shm $(BENCH_SQLITE)-writer.lock
	dropdb --if-exists -h $(BENCH_PG_HOST) -U postgres $(BENCH_PG_DB)
	createdb -h $(BENCH_PG_HOST) -U postgres $(BENCH_PG_DB)
	DATABASE_URL=postgresql://postgres@$(BENCH_PG_HOST):5432/$(BENCH_PG_DB) $(PY) bench/dashboard.py
	DATABASE_URL=postgresql://postgres@$(BENCH_PG_HOST):5432/$(BENCH_PG_DB) $(PY) bench/writes.py
	dropdb -h $(BENCH_PG_HOST) -U postgres $(BENCH_PG_DB)

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	$(FLASK) digest clean
