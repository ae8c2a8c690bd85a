# coordinator-lms — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app lms
SUM := $(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
# what running needs (make run), and the test tools on top (make install / make test)
STAMP := $(VENV)/.installed-run-$(SUM)
TEST_STAMP := $(VENV)/.installed-test-$(SUM)
HOST ?= 127.0.0.1
PORT ?= 5000
# The PostgreSQL run of the suite; trust auth on loopback, or a password in the URL.
PG_TEST_URL ?= postgresql://postgres:postgres@127.0.0.1:5432/lms_test

.PHONY: lock ralph axe run install translations db content demo test test-sqlite test-postgres lint bench load i18n-extract clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# Quiet: each step's output goes to $(VENV)/make.log and is shown only if the step fails.
QUIET = >>$(VENV)/make.log 2>&1 || { cat $(VENV)/make.log; exit 1; }

# constraints.txt pins every package to the version tested; pyproject.toml keeps the bounds.
$(STAMP): pyproject.toml constraints.txt | $(PY)
	@echo "Installing into $(VENV) (first time: a minute or two) ..."
	@$(PY) -m pip install --quiet --upgrade pip $(QUIET)
	@$(PY) -m pip install --quiet -c constraints.txt -e . $(QUIET)
	@rm -f $(VENV)/.installed-run-*
	@touch $@

$(TEST_STAMP): $(STAMP)
	@$(PY) -m pip install --quiet -c constraints.txt -e '.[test]' $(QUIET)
	@rm -f $(VENV)/.installed-test-*
	@touch $@

install: $(TEST_STAMP) translations

translations: $(STAMP)
	@$(VENV)/bin/pybabel -q compile -d lms/translations $(QUIET)

# mail links, the course 2 check-in QR and xAPI ids follow the served host and port unless set
db content demo run: export LMS_BASE_URL ?= http://$(HOST):$(PORT)$(LMS_URL_PREFIX)

db: $(STAMP) translations
	@$(FLASK) db upgrade $(QUIET)

content: db
	@$(FLASK) content sync $(QUIET)

demo: content
	@$(FLASK) lms credential keygen $(QUIET)
	@$(FLASK) lms demo --if-empty $(QUIET)

run: demo
	@$(PY) tools/serve.py --host $(HOST) --port $(PORT)

# Re-pin constraints.txt to what is installed now (after changing pyproject.toml).
lock: | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	{ echo "# Exact versions for deployment and 'make install' (pip install -c constraints.txt)."; \
	  echo "# Regenerate with 'make lock' after changing pyproject.toml; the bounds stay in pyproject.toml."; \
	  $(PY) -m pip freeze --exclude-editable | grep -v '^-e\|coordinator-lms' | LC_ALL=C sort -f; } > constraints.txt

# Ralph (an LRS we did not write) in its own cached venv, for the forwarding tests and bench.
ralph:
	$(PYTHON) tools/ensure_ralph.py >/dev/null

# axe-core from the npm registry into a cache directory, for the accessibility browser test.
axe:
	$(PYTHON) tools/ensure_axe.py >/dev/null

# The SQLite and PostgreSQL passes run side by side (each has its own database, temporary
# directory and ports), so on two or more cores the suite takes about the time of the longer
# pass; each pass's output is printed when it ends. TEST_JOBS=1 runs them one after the other.
TEST_JOBS ?= 2
test: install ralph axe lint
	@$(MAKE) --no-print-directory -j$(TEST_JOBS) --output-sync=target test-sqlite test-postgres

test-sqlite: install ralph axe
	@echo "== test suite on SQLite =="
	$(PY) -m pytest -q

test-postgres: install ralph axe
	@echo "== test suite on PostgreSQL =="
	@$(PY) tools/ensure_test_db.py "$(PG_TEST_URL)"; status=$$?; \
	if [ $$status -eq 75 ] && [ -z "$$CI" ]; then echo "PostgreSQL not reachable: skipped here (CI fails instead)"; exit 0; fi; \
	[ $$status -eq 0 ] || exit $$status; \
	LMS_TEST_DATABASE_URL="$(PG_TEST_URL)" $(PY) -m pytest -q

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check lms tests benchmarks tools
	@echo "== import contracts (.importlinter) =="
	@PYTHONPATH=. $(VENV)/bin/lint-imports --no-cache
	@echo "== types (mypy, [tool.mypy] in pyproject.toml) =="
	$(VENV)/bin/mypy lms

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
	rm -rf $(VENV) instance test-artifacts .pytest_cache .mypy_cache
