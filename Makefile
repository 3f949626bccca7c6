# docfraud: the two commands of the README, and what they need.
#   make demo   set up what is missing, then scan the sample documents and one sample case
#   make test   set up what is missing, then lint, type-check and run every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SPECIMENS := ../shared/data/specimens
SAMPLES := $(if $(wildcard $(SPECIMENS)/truth.json),$(SPECIMENS),data/samples)
# what the tests need beyond that: a browser for the console test (the service's PostgreSQL
# tests get their server from the postgres target below)
TEST_APT_PACKAGES := chromium chromium-driver
APT_PACKAGES := tesseract-ocr tesseract-ocr-eng tesseract-ocr-fra tesseract-ocr-deu tesseract-ocr-spa tesseract-ocr-ita tesseract-ocr-por tesseract-ocr-nld tesseract-ocr-pol tesseract-ocr-tur tesseract-ocr-vie tesseract-ocr-script-latn fonts-ocr-b fonts-dejavu-core fonts-dejavu-extra fonts-liberation fonts-freefont-ttf fonts-urw-base35

.PHONY: setup system test-system venv demo serve test lint bench-mrz bench-synth bench-viz bench-cases bench-load bench-detect bench-page samples models clean

setup: system venv

# Debian packages, only when something is missing (root on this machine; sudo elsewhere).
system:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

test-system:
	@missing=""; for p in $(TEST_APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# The virtual environment; torch first, pinned to the CPU build this machine provides.
venv: $(BIN)/.installed

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

demo: setup
	$(BIN)/docfraud scan --format text $(SAMPLES)
	$(BIN)/docfraud case --format text --scan-date 2026-06-01 data/samples/synth/images/000026_*

lint: venv
	$(BIN)/ruff check docfraud tests bench serve.py
	$(BIN)/ruff format --check docfraud tests bench serve.py
	$(BIN)/mypy docfraud bench

test: setup test-system postgres lint
	DOCFRAUD_TEST_POSTGRES_URL=$(POSTGRES_URL) $(BIN)/python -m pytest -q -n 2 --run-slow

# The scanning-station service on http://127.0.0.1:8080 (settings: DOCFRAUD_* variables).
serve: setup
	$(BIN)/python serve.py

bench-mrz: setup
	$(BIN)/python bench/mrz.py --threads 1 --out bench/results/mrz.md

bench-synth: setup
	$(BIN)/python bench/synth.py --out bench/results/synth.md

bench-viz: setup
	$(BIN)/python bench/viz.py --out bench/results/viz.md

# 1, 4 and 16 simulated stations against a local server, then a 5-minute soak (~9 min).
bench-load: setup
	$(BIN)/python bench/load.py --out bench/results/load.md

bench-cases: setup
	$(BIN)/python bench/cases.py --out bench/results/cases.md

# The committed synthetic sample set (data/README.md).
samples: setup
	rm -rf data/samples/synth
	$(BIN)/docfraud synth --out data/samples/synth --count 24 --cases 3 --seed 2026 > /dev/null

# Retrain the models (write models/, models/manifest.json and the model cards): the MRZ
# recogniser, the portrait embedding, the tamper detector, the substitution model and the fusion.
models: setup
	$(BIN)/python train.py

bench-detect: setup
	$(BIN)/python bench/detect.py --out bench/results/detect.md

bench-page: setup
	$(BIN)/python bench/page.py --out bench/results/page.md

# PostgreSQL for the store's `postgres` tests, on this Debian machine (root here; sudo elsewhere):
# installs the server when missing, starts its cluster, creates the role and the database (each
# step only when needed, so it is safe to rerun). Then run the tests against it with
#   DOCFRAUD_TEST_POSTGRES_URL=postgresql+psycopg://docfraud:docfraud@127.0.0.1:5432/docfraud_test
POSTGRES_URL := postgresql+psycopg://docfraud:docfraud@127.0.0.1:5432/docfraud_test

.PHONY: postgres
postgres:
	@SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	if ! dpkg -s postgresql >/dev/null 2>&1; then \
	  echo "installing: postgresql"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql; \
	fi; \
	ver=$$(ls /usr/lib/postgresql | sort -n | tail -n 1); \
	pg_lsclusters -h | grep -q "^$$ver main " || $$SUDO pg_createcluster $$ver main; \
	$$SUDO pg_ctlcluster $$ver main status >/dev/null 2>&1 || $$SUDO pg_ctlcluster $$ver main start; \
	psql() { (cd / && $$SUDO runuser -u postgres -- psql -X -q -t -A -v ON_ERROR_STOP=1 "$$@"); }; \
	[ "$$(psql -c "SELECT 1 FROM pg_roles WHERE rolname = 'docfraud'")" = 1 ] || \
	  psql -c "CREATE ROLE docfraud LOGIN PASSWORD 'docfraud'"; \
	[ "$$(psql -c "SELECT 1 FROM pg_database WHERE datname = 'docfraud_test'")" = 1 ] || \
	  psql -c "CREATE DATABASE docfraud_test OWNER docfraud"; \
	echo "DOCFRAUD_TEST_POSTGRES_URL=$(POSTGRES_URL)"

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
