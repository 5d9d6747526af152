# Newsroom: `make serve` to run the site, `make test` to check it.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Where `make test` finds the real servers for its second run.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/newsroom
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

# The server `make serve` starts answers on HOST:PORT, whatever .env says.
SERVE_ENV = ALLOWED_HOSTS="$${ALLOWED_HOSTS:-localhost,127.0.0.1,[::1],$(HOST)}" \
	SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}"

.PHONY: help install install-dev serve dev test lint format bench clean

help:
	@echo "make serve   set up everything and serve the site on http://$(HOST):$(PORT)"
	@echo "make dev     Django's development server with DEBUG on"
	@echo "make test    lint, migration check and the whole test suite"
	@echo "make lint    ruff, and import-linter on the apps' dependencies"
	@echo "make format  ruff format and ruff check --fix"
	@echo "make bench   performance figures and the soak (about 17 minutes; docs/benchmarks.md)"

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(VENV)/.runtime $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

# The HTML checker and axe-core, at the exact versions in package-lock.json.
# --ignore-scripts: vnu-jar's postinstall would download a JDK of its own;
# the tests run it with the machine's Java (scripts/install-test-tools).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# A generated secret key, plain HTTP and the local host names, in the
# git-ignored .env that settings.py reads: every manage.py command in the
# README then works as written.
serve: install
	$(PY) scripts/local_env.py $(HOST) $(PORT)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py load_demo
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	$(SERVE_ENV) WEB_CONCURRENCY="$${WEB_CONCURRENCY:-2}" \
		exec $(VENV)/bin/gunicorn -c gunicorn.conf.py --bind $(HOST):$(PORT)

dev: install
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py load_demo
	DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: install-dev node_modules/.installed
	bash scripts/install-test-tools
	$(MAKE) --no-print-directory lint
	ENV_FILE= SECRET_KEY=check ALLOWED_HOSTS=localhost HTTPS=false \
		$(PY) manage.py makemigrations --check --dry-run
	@echo "== Test run 1 of 2: SQLite, file cache"
	env -u DATABASE_URL -u REDIS_URL $(VENV)/bin/pytest -m "not postgres"
	@if $(PY) scripts/services_ready.py "$(TEST_DATABASE_URL)" "$(TEST_REDIS_URL)"; then \
		echo "== Test run 2 of 2: PostgreSQL + Redis, with app servers and nginx"; \
		DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" \
			$(VENV)/bin/pytest --create-db -m "not browser"; \
	elif [ -n "$$CI" ]; then \
		echo "== FAILED: CI must run the suite on PostgreSQL + Redis, and they do not answer."; \
		exit 1; \
	else \
		echo "== SKIPPED test run 2 of 2: PostgreSQL + Redis do not answer at"; \
		echo "   $(TEST_DATABASE_URL) and $(TEST_REDIS_URL)"; \
	fi

# wrk, nginx and openssl (nginx's throwaway certificate) from Debian's
# packages; a throwaway site, see docs/benchmarks.md.
bench: install-dev
	bash scripts/install-test-tools wrk nginx openssl
	$(PY) scripts/bench.py
	$(PY) scripts/bench_markdown.py
	$(PY) scripts/lighthouse.py
	$(PY) scripts/bench_soak.py

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache
