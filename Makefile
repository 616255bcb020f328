# lossviz -- the two commands a newcomer needs:
#   make lab    set up (first time only) and open the course in JupyterLab
#   make test   set up (first time only) and run every test
# Other targets: make setup, make lint, make test-unit, make test-fuzz, make test-doctests, make test-browser,
# make test-notebooks, make exercises, make student, make nbgrader, make present, make bench, make clean-venv.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# Reinstall only when pyproject.toml changes: the stamp is newer than it otherwise.
STAMP  := $(VENV)/.lossviz-installed

.PHONY: setup lab test test-unit test-fuzz test-doctests test-notebooks hygiene exercises student nbgrader present bench lint clean-venv

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[course,grading,test]'
	touch $(STAMP)

# JupyterLab's widget messages on the kernel's main thread (tools/lab_settings.py says why: matplotlib
# cannot draw from two threads at once), as the environment's default settings.
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json
$(LAB_OVERRIDES): tools/lab_settings.py $(STAMP)
	$(PY) tools/lab_settings.py --prefix $(VENV)
	@touch $@

setup: $(STAMP) $(LAB_OVERRIDES)

# JupyterLab on this machine only (127.0.0.1), with its login token. The URL it prints (token included)
# opens lesson 00 itself, not the launcher: LabApp.default_url is the lesson's /lab/tree/ path, which is
# also where a browser that JupyterLab opens by itself goes. (--allow-root only when run as root.)
# The token is fresh at every start: a JUPYTER_TOKEN (or JUPYTER_TOKEN_FILE) inherited from the
# environment is dropped. To choose one, say so on the command line: `make lab TOKEN=...` (a TOKEN
# in the environment is not used); it reaches JupyterLab through its environment, not its arguments.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
START_PAGE := /lab/tree/notebooks/00_start_here.ipynb
LAB_TOKEN := $(if $(filter command line,$(origin TOKEN)),JUPYTER_TOKEN='$(TOKEN)')
lab: setup
	env -u JUPYTER_TOKEN -u JUPYTER_TOKEN_FILE $(LAB_TOKEN) $(VENV)/bin/jupyter lab --ip=127.0.0.1 --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=$(START_PAGE) $(ROOT_FLAG)

# Everything: lint and types, the package's tests, its doctests, the browser tests, every notebook,
# notebook hygiene.
test: setup browser-deps
	$(MAKE) --no-print-directory lint test-unit test-doctests test-browser test-notebooks hygiene

# The package's unit and property tests, the fuzz test included (no browser; a few minutes).
test-unit: setup
	$(PY) -m pytest tests --ignore=tests/browser -q

# The fuzz test alone (also part of test-unit): hypothesis draws bad and extreme values for every
# declared parameter of every public function (about a minute; derandomized, the same every run).
# FUZZ_EXAMPLES=200 tries more per function. The outcomes by kind are printed at the end.
FUZZ_EXAMPLES ?= 80
test-fuzz: setup
	LOSSVIZ_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest tests/test_boundary.py tests/test_fuzz.py -q

# Every Examples section of the package, run as a doctest (conftest.py: Agg backend, figures closed).
test-doctests: setup
	$(PY) -m pytest --doctest-modules lossviz -q

# Strict nbval: every stored output is compared (no --nbval-lax).
test-notebooks: setup
	$(PY) -m pytest -q --nbval notebooks --ignore=notebooks/student --nbval-sanitize-with tests/nbval_sanitize.cfg

# Notebook hygiene, when the shared tools are next to this checkout.
hygiene:
	@if [ -f ../shared/tools/nbhygiene.py ]; then $(PYTHON) ../shared/tools/nbhygiene.py notebooks; \
	else echo "nbhygiene: ../shared/tools/nbhygiene.py not found, skipped"; fi

# Each lesson's Exercises section, from its declared questions (lossviz/exercises/<slug>.py);
# re-execute the lessons it changes.
exercises: setup
	$(PY) tools/exercise_cells.py

# The student copy of every lesson (notebooks/student/NN_name.ipynb) from the worked lesson:
# solutions out, outputs cleared. A copy a learner has edited is kept; the new one goes beside it.
student: setup
	$(PY) tools/student.py

# An nbgrader course in $(COURSE): one source assignment per lesson and nbgrader_config.py
# (README: "Running the course for a class"). Then nbgrader generate_assignment, autograde, ...
COURSE ?= course
nbgrader: setup
	$(PY) tools/nbgrader_course.py --course "$(COURSE)"

# Presentation mode for class: a landing page of dashboards in Voilà (the two explorers, each lesson's
# key figure), no code. tools/present.py runs Voilà in dashboards/, so it reads dashboards/voila.json
# (127.0.0.1 only, a token, idle kernels culled after 5 minutes), with a fresh token (an inherited
# JUPYTER_TOKEN is dropped), and prints the landing page's URL, token included; the port is 8866, or
# the next free one.
present: setup
	$(PY) tools/present.py

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
# a 51 x 51 slice of the network's cost, vectorised against a loop over grid points (a few seconds);
# what a change of the client-side picture (LayeredCanvas) costs in the kernel, PNG included (seconds).
bench: setup
	$(PY) benchmarks/bench_explorer.py
	$(PY) benchmarks/bench_steps_to_target.py
	$(PY) benchmarks/bench_network_slice.py
	$(PY) benchmarks/bench_canvas.py
	$(PY) benchmarks/bench_imbalance.py

# Lint, format and type checks (configured in pyproject.toml), with 0 findings; part of `make test`.
LINTED := lossviz tests tools benchmarks conftest.py
lint: setup
	$(PY) -m ruff check $(LINTED)
	$(PY) -m ruff format --check $(LINTED)
	$(PY) -m mypy

clean-venv:
	rm -rf $(VENV)
