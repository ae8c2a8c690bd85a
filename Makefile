# coordinator-lms — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app lms
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 5000
# The PostgreSQL run of the suite; trust auth on loopback, or a password in the URL.
PG_TEST_URL ?= postgresql://postgres:postgres@127.0.0.1:5432/lms_test

.PHONY: ralph run install translations db content demo test test-sqlite test-postgres lint bench load i18n-extract clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP) translations

translations: $(STAMP)
	$(VENV)/bin/pybabel compile --statistics -d lms/translations 2>&1 | grep -v '^compiling' || true

db: install
	$(FLASK) db upgrade

content: db
	$(FLASK) content sync

demo: content
	$(FLASK) lms credential keygen >/dev/null
	$(FLASK) lms demo --if-empty

run: demo
	@echo "Serving on http://$(HOST):$(PORT)/  (demo logins: see README.md)"
	$(FLASK) run --host $(HOST) --port $(PORT)

# Ralph (an LRS we did not write) in its own cached venv, for the forwarding tests and bench.
ralph:
	$(PYTHON) tools/ensure_ralph.py >/dev/null

test: install ralph test-sqlite test-postgres

test-sqlite: install ralph
	@echo "== test suite on SQLite =="
	$(PY) -m pytest -q

test-postgres: install ralph
	@echo "== test suite on PostgreSQL =="
	@$(PY) tools/ensure_test_db.py "$(PG_TEST_URL)"; status=$$?; \
	if [ $$status -eq 75 ] && [ -z "$$CI" ]; then echo "PostgreSQL not reachable: skipped here (CI fails instead)"; exit 0; fi; \
	[ $$status -eq 0 ] || exit $$status; \
	LMS_TEST_DATABASE_URL="$(PG_TEST_URL)" $(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check lms tests benchmarks tools

bench: install ralph
	$(PY) benchmarks/run_all.py

# Load scenarios with locust and an audit of the database after each (loopback only).
# LOAD_USERS / LOAD_SECONDS bound them; LMS_BENCH_DATABASE_URL runs them on PostgreSQL.
LOAD_USERS ?= 300
LOAD_SECONDS ?= 60
load: install
	$(PY) benchmarks/load/run.py --users $(LOAD_USERS) --seconds $(LOAD_SECONDS)

i18n-extract: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ --no-location --sort-output -o lms/translations/messages.pot .
	$(VENV)/bin/pybabel update -i lms/translations/messages.pot -d lms/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) instance test-artifacts .pytest_cache
