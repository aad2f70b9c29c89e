# Two commands for a fresh clone: `make run` serves the seeds, `make test` runs every test.
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM := /usr/bin/chromium

TESSERACT := /usr/bin/tesseract
TESSDATA := /usr/share/tesseract-ocr/5/tessdata

.PHONY: run test install browser ocr test-opensearch

run: install
	$(BIN)/seedsearch serve --source seeds --index index

test: install browser
	$(BIN)/python -m pytest

# The OpenSearch backend's tests against a two-node cluster on loopback, started and stopped here.
test-opensearch: install
	scripts/opensearch-cluster start
	SEEDSEARCH_OPENSEARCH=required $(BIN)/python -m pytest tests/test_opensearch_*.py; \
		status=$$?; scripts/opensearch-cluster stop; exit $$status

install: $(VENV)/.installed ocr

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# The browser tests drive Debian's chromium (never a downloaded one).
browser:
	@test -x $(CHROMIUM) || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
		else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

# Scans are read by Debian's tesseract with its English and Russian data.
ocr:
	@test -x $(TESSERACT) -a -f $(TESSDATA)/eng.traineddata -a -f $(TESSDATA)/rus.traineddata || { \
		packages="tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus"; \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$packages >/dev/null; \
		else sudo apt-get update -qq && sudo apt-get install -y -qq $$packages >/dev/null; fi; }
