# lossviz -- the two commands a newcomer needs:
#   make lab    set up (first time only) and open the course in JupyterLab
#   make test   set up (first time only) and run every test
# Other targets: make setup, make test-unit, make test-browser, make test-notebooks, make student,
# make present, make bench, make lint, make clean-venv.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# Reinstall only when pyproject.toml changes: the stamp is newer than it otherwise.
STAMP  := $(VENV)/.lossviz-installed

.PHONY: setup lab test test-unit test-notebooks hygiene student present bench lint clean-venv

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[course,test]'
	touch $(STAMP)

setup: $(STAMP)

# JupyterLab on this machine only (127.0.0.1), with its login token. The URL it prints (token included)
# opens lesson 00 itself, not the launcher: LabApp.default_url is the lesson's /lab/tree/ path, which is
# also where a browser that JupyterLab opens by itself goes. (--allow-root only when run as root.)
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
START_PAGE := /lab/tree/notebooks/00_start_here.ipynb
lab: setup
	$(VENV)/bin/jupyter lab --ip=127.0.0.1 --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=$(START_PAGE) $(ROOT_FLAG)

# Everything: the package's tests, the browser tests, every notebook, notebook hygiene.
test: setup browser-deps
	$(MAKE) --no-print-directory test-unit test-browser test-notebooks hygiene

# The package's unit and property tests (no browser; a few minutes).
test-unit: setup
	$(PY) -m pytest tests --ignore=tests/browser -q

# Strict nbval: every stored output is compared (no --nbval-lax).
test-notebooks: setup
	$(PY) -m pytest -q --nbval notebooks --ignore=notebooks/student --nbval-sanitize-with tests/nbval_sanitize.cfg

# Notebook hygiene, when the shared tools are next to this checkout.
hygiene:
	@if [ -f ../shared/tools/nbhygiene.py ]; then $(PYTHON) ../shared/tools/nbhygiene.py notebooks; \
	else echo "nbhygiene: ../shared/tools/nbhygiene.py not found, skipped"; fi

# The student copy of the exercises (notebooks/student/06_the_posts_five_questions.ipynb)
# from the worked notebook:
# solutions out, outputs cleared. A copy a learner has edited is kept; the new one goes beside it.
student: setup
	$(PY) tools/student.py

# Presentation mode for class: the explorer in Voilà, sliders and figures, no code. Voilà reads
# dashboards/voila.json (127.0.0.1 only, with a token) and prints the URL to open, token included;
# the port is 8866, or the next free one.
present: setup
	cd dashboards && env -u JUPYTER_TOKEN "$(CURDIR)/$(VENV)/bin/voila" explorer.ipynb

# Debian's Chromium for the browser tests (tests/browser), installed when missing (needs root).
# Without it the browser tests are skipped and say why; under CI (CI=true) they fail instead.
.PHONY: browser-deps test-browser
browser-deps:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	else echo "browser-deps: /usr/bin/chromium is missing. Install it as root with:" \
		"apt-get update && apt-get install -y chromium  (the browser tests skip until then)"; fi

# The browser tests alone: JupyterLab and Voilà driven in headless Chromium (a minute or two).
test-browser: setup browser-deps
	$(PY) -m pytest tests/browser -q

# Slider-change times of the cost explorer against rebuilding the figure (half a minute);
# lesson 09's batch-size sweep against a loop over lossviz.train (about a minute);
# a 51 x 51 slice of the network's cost, vectorised against a loop over grid points (a few seconds).
bench: setup
	$(PY) benchmarks/bench_explorer.py
	$(PY) benchmarks/bench_steps_to_target.py
	$(PY) benchmarks/bench_network_slice.py

# Lint and type checks. Not yet part of `make test`: their configuration comes in pyproject.toml.
lint: setup
	$(PY) -m ruff check lossviz tests tools benchmarks
	$(PY) -m mypy lossviz

clean-venv:
	rm -rf $(VENV)
