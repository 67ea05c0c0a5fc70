# Huiwu: `make run` starts the demo, `make test` runs the whole suite. Both install what they need.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := run

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip --disable-pip-version-check -q
# The PostgreSQL test run: pytest-django creates (and drops) test_huiwu next to this database.
PG_URL ?= postgres://postgres@127.0.0.1:5432/huiwu
VENDOR := huiwu/static/vendor
PO := huiwu/locale/zh_Hans/LC_MESSAGES/django.po
MO := $(PO:.po=.mo)

.PHONY: run test test-prod nginx check install install-test assets messages fonts browser postgres redis bench bench-smoke mutate demo bundle clean

## run: install everything, migrate SQLite, load the demo data, serve on http://127.0.0.1:$(PORT)
run: install fonts
	$(BIN)/huiwu migrate --noinput
	$(BIN)/huiwu demo
	HUIWU_HTTPS=false PORT=$(PORT) exec $(BIN)/huiwu serve --bind 127.0.0.1:$(PORT)

## test: lint, migrations check, the benchmarks in smoke mode, then the whole suite on SQLite and on PostgreSQL (browser tests on SQLite)
# The suite runs on SQLite and on PostgreSQL at the same time (two cores); the PostgreSQL run writes to
# var/pytest-postgres.log, shown when it ends; either failing fails the target. The browser tests run once,
# in the SQLite run: they test the pages in Chromium, and every rule beneath them is tested on both databases
# by the rest of the suite (running them twice cost four minutes of the twenty).
test: install-test browser postgres redis check bench-smoke
	mkdir -p var
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -p no:cacheprovider -m "not e2e" > var/pytest-postgres.log 2>&1 & pg=$$!; \
	$(BIN)/pytest -p no:cacheprovider; sqlite=$$?; \
	wait $$pg; postgres=$$?; \
	echo "== PostgreSQL run (var/pytest-postgres.log) =="; \
	if [ $$postgres -eq 0 ]; then tail -n 3 var/pytest-postgres.log; else cat var/pytest-postgres.log; fi; \
	echo "SQLite: exit $$sqlite; PostgreSQL: exit $$postgres"; \
	test $$sqlite -eq 0 && test $$postgres -eq 0

## test-prod: the production profile (prod/): the offline bundle installed with no network, and the reliability test
# (PostgreSQL, Redis, nginx, two app servers, two workers, RQ under bounded load while servers stop and die)
test-prod: install-test postgres redis nginx
	$(BIN)/pytest -p no:cacheprovider -s prod/

# nginx and openssl for the reliability test (it runs an nginx of its own, never the system's), and the network
# namespace tools the bundle test installs under (unshare, nsenter, ip), from Debian, only when missing.
nginx:
	if ! command -v nginx >/dev/null || ! command -v openssl >/dev/null || ! command -v unshare >/dev/null \
	   || ! command -v nsenter >/dev/null || ! command -v ip >/dev/null; then \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx openssl util-linux iproute2; \
	fi

## check: ruff and the check that every model change has its migration
check: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/huiwu makemigrations --check --dry-run

install: $(VENV)/.installed assets messages .env
install-test: install $(VENV)/.installed-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install -c constraints.txt -e ".[test]"
	touch $@

# Front-end libraries from the npm registry (package-lock.json), served by Huiwu itself: no CDN.
assets: $(VENDOR)/.copied
$(VENDOR)/.copied: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js \
	   node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map \
	   node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map \
	   node_modules/echarts/dist/echarts.min.js $(VENDOR)/
	touch $@

messages: $(MO)
$(MO): $(PO)
	command -v msgfmt >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q gettext; }
	msgfmt --check -o $@ $<

# A random SECRET_KEY for this checkout, kept out of git, and the console e-mail backend chosen explicitly (a
# demo sends no mail); real deployments set the variables instead (README, "Production").
.env:
	$(PYTHON) -c 'import secrets; print("SECRET_KEY=" + secrets.token_urlsafe(50))' > $@
	echo "EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend" >> $@

# The CJK font the PDFs embed (a subset of Noto Sans CJK SC, so they print the same on any office PC), from
# Debian, only when missing.
fonts:
	fc-list 2>/dev/null | grep -q "Noto Sans CJK" || \
	  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-noto-cjk; }

# Chromium, its driver and a CJK font for the browser tests, from Debian, only when missing.
browser:
	if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null \
	   || ! fc-list 2>/dev/null | grep -q "Noto Sans CJK"; then \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver fonts-noto-cjk; \
	fi

# PostgreSQL must be reachable for `make test`: start the local cluster if it is down, fail if it stays down.
postgres:
	if ! pg_isready -q -h 127.0.0.1 -p 5432; then \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start || true; \
	  for i in $$(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; \
	fi
	pg_isready -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is not reachable on 127.0.0.1:5432" >&2; exit 1; }

## bench: the benchmarks under bench/ (PostgreSQL must be reachable); they print figures, they assert nothing
# The test extra too: the board benchmark books and renders at fixed times with time-machine.
bench: install-test postgres fonts
	$(BIN)/python bench/booking.py
	$(BIN)/python bench/worker.py --database both
	$(BIN)/python bench/pages.py --database sqlite
	$(BIN)/python bench/pages.py --database postgres
	$(BIN)/python bench/pdf.py
	$(BIN)/python bench/reports.py --database both
	$(BIN)/python bench/load.py --database both

## bench-smoke: every benchmark once with tiny sizes (about a minute), so that `make test` fails on a broken one
bench-smoke: install-test postgres fonts
	$(BIN)/python bench/booking.py --smoke
	$(BIN)/python bench/worker.py --database both --smoke
	$(BIN)/python bench/pages.py --database sqlite --smoke
	$(BIN)/python bench/pages.py --database postgres --smoke
	$(BIN)/python bench/pdf.py --smoke
	$(BIN)/python bench/reports.py --database both --smoke
	$(BIN)/python bench/load.py --database sqlite --smoke

# The functions whose mutants `make mutate` runs: the core rules (README, Tests). The files are in pyproject.toml.
MUTANTS := 'huiwu.service.standards.*' \
	'huiwu.service.deadlines.x_compressed_times*' 'huiwu.service.deadlines.x_check_times*' \
	'huiwu.service.services.x_check_confirm*' 'huiwu.service.services.x_checks_reopen*' \
	'huiwu.service.services.x_meeting_start*' 'huiwu.service.services.x__refill_plan*' \
	'huiwu.service.services.x_refill_record*' 'huiwu.service.services.x__explain_early*' \
	'huiwu.meetings.services.x_meeting_conflicts*' 'huiwu.meetings.models.x*MeetingQuerySet*' \
	'huiwu.security.eligibility.*' \
	'huiwu.notify.services.x__claim*' 'huiwu.notify.services.x__open_chunk*' \
	'huiwu.notify.services.x__miss_chunk*' 'huiwu.notify.services.x_deadlines_process*'

## mutate: mutation testing of the core rules (about ten minutes; not in CI), then the score per module
mutate: install-test $(VENV)/.installed-mutate
	rm -rf mutants && mkdir -p var
	env -u DATABASE_URL -u HUIWU_DATA_DIR $(BIN)/mutmut run $(MUTANTS) > var/mutmut.log 2>&1 \
	  || { tail -n 40 var/mutmut.log; exit 1; }
	$(BIN)/python mutation/score.py $(MUTANTS)

$(VENV)/.installed-mutate: $(VENV)/.installed-test
	$(PIP) install -c constraints.txt -e ".[test,mutate]"
	touch $@

# Redis must be reachable for `make test` (the Redis task backend is tested): start it if it is down.
redis:
	if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then \
	  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no; \
	  for i in $$(seq 10); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done; \
	fi
	redis-cli -h 127.0.0.1 -p 6379 ping || { echo "Redis is not reachable on 127.0.0.1:6379" >&2; exit 1; }

## demo: reload the demo data into the SQLite database
demo: install
	$(BIN)/huiwu migrate --noinput
	$(BIN)/huiwu demo

## bundle: the offline install archive dist/huiwu-<version>-py311-linux_x86_64.tar.gz (the wheels with their hashes, the built assets and translations, install.sh, deploy/)
bundle: $(VENV)/.installed assets messages
	$(BIN)/python deploy/bundle/build.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var dist $(MO)
