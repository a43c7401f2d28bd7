# Cổng thông tin điện tử — the two commands are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs in pytest-xdist worker processes, each with its own test database, search engine,
# Redis and Celery worker. Servers named by REDIS_URL or SEARCH_URL would be shared by the workers
# (one worker's Celery would take another's jobs), so with either set the suite runs in one process.
TEST_WORKERS ?= $(if $(REDIS_URL)$(SEARCH_URL),0,2)
PYTEST := $(BIN)/pytest -n $(TEST_WORKERS)

.DEFAULT_GOAL := help
.PHONY: help run test install gettext lint messages check test-postgres test-sqlite browser migrate demo bench clean worker beat backup restore

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	@touch $@

install: $(VENV)/.installed ## Create .venv and install the project with its test tools

migrate: install ## Create or update the SQLite database
	$(MANAGE) migrate --no-input

demo: migrate ## Load the demo content and print the admin login
	$(MANAGE) load_demo_content

run: demo ## Run the portal on the embedded default at http://127.0.0.1:8000
	$(MANAGE) runserver $(HOST):$(PORT)

browser: ## Install Debian's Chromium for the browser tests (as root, when missing)
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	else echo "Chromium is missing: run 'sudo apt-get install chromium' (browser tests will fail)"; fi

gettext: ## Install GNU gettext for the translation check (as root, when missing)
	@if command -v xgettext >/dev/null && command -v msgfmt >/dev/null; then :; \
	elif [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq gettext >/dev/null; \
	else echo "gettext is missing: run 'sudo apt-get install gettext' (the translation check will fail)"; fi

lint: install gettext ## ruff, Django's checks, the migration check, docker/ (hadolint, Compose schema)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=portal.settings.test TEST_DATABASE=sqlite $(MANAGE) check
	DJANGO_SETTINGS_MODULE=portal.settings.test TEST_DATABASE=sqlite $(MANAGE) makemigrations --check --dry-run
	# docker/: the Dockerfile's lint and compose.yaml against the Compose specification (offline)
	$(BIN)/hadolint docker/Dockerfile
	$(BIN)/check-jsonschema --builtin-schema vendor.compose-spec docker/compose.yaml
	# Translations (issue 6): no interface string without its English translation. Only the
	# catalogue's checks, which need no database (the suite renders the English pages).
	TEST_DATABASE=sqlite $(BIN)/pytest -q -p no:cacheprovider -m "not django_db" tests/test_interface_translations.py

messages: install ## Translations: update locale/en from the templates and code, then compile it
	$(MANAGE) makemessages -l en --no-obsolete --ignore=.venv --ignore=tests --ignore=bench --ignore=docker --ignore=staticfiles --ignore=.test-media
	msgfmt --check -o locale/en/LC_MESSAGES/django.mo locale/en/LC_MESSAGES/django.po

test-postgres: install browser ## The whole suite on the real PostgreSQL (embedded, or DATABASE_URL)
	$(PYTEST)

test-sqlite: install ## The suite's database tests again on the embedded default (SQLite), without browser, search engine and Celery
	TEST_DATABASE=sqlite $(PYTEST) --only-database-tests -m "not browser and not search_engine and not celery"

test: lint test-postgres test-sqlite ## Everything CI runs

worker: install ## A Celery worker (needs REDIS_URL; Wagtail's jobs go to it with production settings)
	@test -n "$$REDIS_URL" || { echo "Cần REDIS_URL, ví dụ REDIS_URL=redis://127.0.0.1:6379/0 (the worker needs Redis)"; exit 1; }
	$(BIN)/celery -A portal worker -l INFO

beat: install ## Celery beat: scheduled publishing and the outbox flush, every minute (needs REDIS_URL)
	@test -n "$$REDIS_URL" || { echo "Cần REDIS_URL, ví dụ REDIS_URL=redis://127.0.0.1:6379/0 (beat needs Redis)"; exit 1; }
	$(BIN)/celery -A portal beat -l INFO --schedule $(VENV)/celerybeat-schedule

backup: install ## Back up the database and the media into backups/<timestamp>/ (docs/deploy.md)
	$(MANAGE) backup

restore: install ## Restore a backup: make restore BACKUP=backups/<timestamp> (overwrites the data)
	@test -n "$(BACKUP)" || { echo "Cần BACKUP=backups/<thời điểm>, ví dụ make restore BACKUP=backups/20261201-060000"; exit 1; }
	$(MANAGE) restore $(BACKUP)

bench: install ## Benchmarks (not part of CI); see docs/benchmarks.md
	$(BIN)/python bench/pages.py

clean: ## Remove the virtualenv, databases and test servers
	rm -rf $(VENV) db.sqlite3 .servers .test-media staticfiles
