# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
# `PORT=8001 make run` serves there; the links in mails, SMS and the QR code follow unless
# PORTAL_BASE_URL is set.
PORT ?= 8000
PORTAL_BASE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: run test lint fmt migrate demo demo-code messages schema bench bench-web bench-jobs bench-embedded bench-signing clean check-deploy

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo --quiet-logins --history

run: migrate
	$(PY) manage.py collectstatic --noinput --verbosity 0
	PORTAL_BASE_URL=$(PORTAL_BASE_URL) $(PY) manage.py load_demo --history
	@echo ""
	@echo "  Cổng Dịch vụ công: http://127.0.0.1:$(PORT)   (ready: http://127.0.0.1:$(PORT)/readyz)"
	@echo "  Stop with Ctrl+C."
	@echo ""
	GUNICORN_BIND=127.0.0.1:$(PORT) PORTAL_BASE_URL=$(PORTAL_BASE_URL) $(VENV)/bin/honcho start -f Procfile

# The code the demo staff accounts' authenticator app shows now (the demo key is printed by make run).
demo-code: $(STAMP)
	@$(PY) manage.py demo_code

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(VENV)/bin/pytest $(PYTEST_ARGS)

check-deploy: $(STAMP)
	DJANGO_ENV=production DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(64))') \
	DJANGO_ALLOWED_HOSTS=dichvucong.example.vn $(PY) manage.py check --deploy --fail-level WARNING

# The three benchmarks in turn; make -k bench runs the later ones even when one misses its figures.
bench: bench-web bench-jobs bench-embedded bench-signing

# The portal's pages beside a bare Django reference at 100,000 and 1,000,000 dossiers and a worst case
# (BENCH_DOSSIERS, BENCH_SECONDS, BENCH_WORST; see bench/bench_web.py); regenerates docs/performance.md.
bench-web: $(STAMP)
	$(PY) bench/bench_web.py

# Needs the local PostgreSQL and Redis (see .ci/run for how they start); writes bench/results/.
bench-jobs: $(STAMP)
	$(PY) bench/bench_jobs.py

bench-embedded: $(STAMP)
	$(PY) bench/bench_embedded.py

# Signing 100 results with the agency's key, and validating them (time per document).
bench-signing: $(STAMP)
	$(PY) bench/bench_signing.py

# The API's OpenAPI schema, committed: tests/api/test_schema.py fails when the code and it differ.
schema: $(STAMP)
	$(PY) manage.py spectacular --lang vi --validate --fail-on-warn --file docs/api/openapi.yaml

messages: $(STAMP)
	$(PY) manage.py makemessages -l en -l vi --no-obsolete --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf var/broker var/static
