# The README's commands. Only Python 3.11+ and make are needed; everything else is installed
# into .venv from PyPI, pinned by requirements-dev.lock (requirements.lock: production only).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed
DEV_ENV := DJANGO_DEBUG=1

.PHONY: run test browser lint format bench install migrate demo messages screenshots lighthouse lock clean

$(STAMP): pyproject.toml requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=25.1"
	$(PY) -m pip install --quiet -r requirements-dev.lock
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(DEV_ENV) $(PY) manage.py migrate --noinput

demo: migrate
	$(DEV_ENV) $(PY) manage.py load_demo

run: demo
	@echo "Cổng thông tin: http://127.0.0.1:$(PORT)/   Quản trị: http://127.0.0.1:$(PORT)/admin/"
	@# The background worker for long exports runs beside the server and stops with it.
	$(DEV_ENV) $(PY) manage.py db_worker --interval 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Debian's Chromium first: without it (and no right to install it) stop before anything runs.
browser:
	@sh .ci/install-browser
	@sh .ci/install-browser gpg gnupg

test: browser lint
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

# Benchmarks run on PostgreSQL (COPY is compared there) unless DATABASE_URL says otherwise.
# Pages through gunicorn + wrk (installed when missing), then exports: about 10 minutes.
BENCH_DB ?= postgres://postgres@127.0.0.1:5432/portal
# Production settings (DEBUG off, hashed static files), so the numbers mean something.
BENCH_ENV = DJANGO_SECRET_KEY=bench-only DJANGO_ALLOWED_HOSTS=localhost DJANGO_SECURE_SSL_REDIRECT=0
bench: install
	$(BENCH_ENV) $(PY) manage.py collectstatic --noinput -v0
	DATABASE_URL=$${DATABASE_URL:-$(BENCH_DB)} $(BENCH_ENV) $(PY) manage.py bench

messages: install
	$(DEV_ENV) $(PY) manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=tests
	$(DEV_ENV) $(PY) manage.py compilemessages --ignore=.venv

screenshots: demo
	$(PY) -m tests.screenshots

# Lighthouse on the main pages (production settings, demo content); tools go to .tools/.
lighthouse: install
	$(PY) -m tests.lighthouse $(LIGHTHOUSE_ARGS)

# Refresh both lock files after changing pyproject.toml's ranges (then run make test).
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade "pip>=25.1"
	.lock-venv/bin/pip install --quiet .
	.lock-venv/bin/pip freeze --exclude cong-thong-tin-tinh > requirements.lock
	.lock-venv/bin/pip install --quiet -c requirements.lock --group dev
	.lock-venv/bin/pip freeze --exclude cong-thong-tin-tinh > requirements-dev.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) .pytest_cache .test-media staticfiles
