# Build and test pipeline for the netdiag.thousandeyes collection. `make help` lists the targets;
# TESTING.md explains them. Needs only python3.11, python3.12 (for ansible-core 2.21; a pyenv
# installation is found too), make and git; everything else comes from the requirements-*.txt
# files into .venv and .venv-*.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
# `make test` must run its stages one after the other and stop at the first failure.
.NOTPARALLEL:

# CORE picks the ansible-core release that sanity, units and integration run on: 2.19, the lowest
# that meta/runtime.yml's requires_ansible allows (.venv, pinned in requirements-dev.txt), or 2.21,
# the newest (.venv-core-2.21: requirements-dev.txt with the ansible-core pin of
# requirements-core-2.21.txt). ansible-core 2.20 and later need Python 3.12 or newer.
CORE ?= 2.19
ifeq ($(CORE),2.19)
CORE_PYTHON_VERSION := 3.11
VENV := $(CURDIR)/.venv
CORE_REQUIREMENTS :=
else ifeq ($(CORE),2.21)
CORE_PYTHON_VERSION := 3.12
VENV := $(CURDIR)/.venv-core-$(CORE)
CORE_REQUIREMENTS := requirements-core-$(CORE).txt
else
$(error CORE=$(CORE) is not tested: use CORE=2.19 (the default) or CORE=2.21)
endif
PYTHON ?= python$(CORE_PYTHON_VERSION)
# Resolved with the PATH that make was started with (kept for the sub-makes of `make test`), not
# with a venv's bin, so that each venv is made from the system Python.
ifndef NETDIAG_SYSTEM_PATH
NETDIAG_SYSTEM_PATH := $(PATH)
endif
export NETDIAG_SYSTEM_PATH
SYSTEM_PYTHON := $(shell PATH='$(NETDIAG_SYSTEM_PATH)' tools/find_python.sh $(PYTHON))
BIN := $(VENV)/bin
VENV_STAMP := $(VENV)/.requirements-dev.stamp
# galaxy-importer pins packages that requirements-dev.txt's tools do not accept: a venv of its own.
IMPORTER_VENV := $(CURDIR)/.venv-importer
IMPORTER_STAMP := $(IMPORTER_VENV)/.requirements-importer.stamp
# The docs site's Sphinx, theme and MyST, likewise.
DOCS_VENV := $(CURDIR)/.venv-docs
DOCS_STAMP := $(DOCS_VENV)/.requirements-docs.stamp

# ansible-test only runs from a path ending in ansible_collections/<namespace>/<name>, which a
# clone usually is not: keep a synced copy under TMPDIR, one per clone (hash of the clone's path).
REPO_HASH := $(shell printf '%s' '$(CURDIR)' | cksum | cut -d' ' -f1)
# A tree per ansible-core release, so that each keeps its own ansible-test output.
BASE_BUILD_ROOT := $(or $(TMPDIR),/tmp)/netdiag-thousandeyes-$(REPO_HASH)
BUILD_ROOT ?= $(BASE_BUILD_ROOT)$(if $(CORE_REQUIREMENTS),-core-$(CORE))
COLLECTIONS_PATH := $(BUILD_ROOT)/collections
COLLECTION_DIR := $(COLLECTIONS_PATH)/ansible_collections/netdiag/thousandeyes
DIST_DIR := $(BUILD_ROOT)/dist
INSTALL_CHECK_PATH := $(BUILD_ROOT)/install-check
export COLLECTION_DIR COLLECTIONS_PATH

# Tools from the venv first; Ansible finds this collection in the synced tree. Where a target loads
# the collection, nothing installed next to ansible-core may shadow it (ansible-lint warns about
# this setting, so it is not global).
export PATH := $(BIN):$(PATH)
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS_PATH)
sanity docs docs-site install-check integration demo bench: export ANSIBLE_COLLECTIONS_SCAN_SYS_PATH := false
integration: export NETDIAG_CORE_DEPENDENT_ONLY = $(CORE_DEPENDENT_ONLY)

# Narrowing a run: make integration INTEGRATION_TESTS=tests/integration/test_x.py PYTEST_ARGS='-k check_mode',
# make sanity SANITY_ARGS='--test pep8', make units UNITS_ARGS='tests/unit/plugins/modules/test_x.py'.
INTEGRATION_TESTS ?= tests/integration
PYTEST_ARGS ?=
SANITY_ARGS ?=
# The lowest core (2.19) runs every check; another core runs only what can behave differently on it (TESTING.md, "What
# the second ansible-core runs"): the units of plugins/ (not those of the emulator, the schema oracle and tools/), and
# the integration tests but the v6 half and those marked core_independent (conftest.py reads
# NETDIAG_CORE_DEPENDENT_ONLY). CORE_DEPENDENT_ONLY=0 runs everything on any core.
CORE_DEPENDENT_ONLY ?= $(if $(CORE_REQUIREMENTS),1,0)
UNITS_ARGS ?= $(if $(filter 1,$(CORE_DEPENDENT_ONLY)),tests/unit/plugins/)
# The AWX entry point.
DEMO_PLAYBOOK ?= playbooks/diagnose.yml
DEMO_ARGS ?=
export DEMO_PLAYBOOK
# Passed to bench/run.py, e.g. make bench BENCH_ARGS='--sections counts,timing --reps 7'.
BENCH_ARGS ?=

.PHONY: shell help env venv collection sanity lint docs docs-site build galaxy-importer install-check units integration test test-core demo bench changelog clean distclean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

# For working by hand in the synced tree: eval "$$(make -s env)"; cd "$$COLLECTION_DIR".
env: ## Print shell exports (PATH, COLLECTION_DIR, ANSIBLE_COLLECTIONS_PATH, ...) for running tools by hand
	@printf 'export %s=%q\n' PATH "$$PATH" COLLECTION_DIR '$(COLLECTION_DIR)' COLLECTIONS_PATH '$(COLLECTIONS_PATH)' \
	    ANSIBLE_COLLECTIONS_PATH '$(COLLECTIONS_PATH)' ANSIBLE_COLLECTIONS_SCAN_SYS_PATH false

# One command from a fresh clone: the venv, the synced tree, and a shell in this checkout where ansible-playbook,
# ansible-doc and this collection are found. Without a terminal it runs the commands it reads from stdin.
shell: export ANSIBLE_COLLECTIONS_SCAN_SYS_PATH := false
shell: venv collection ## A shell in this checkout with .venv/bin on PATH and this collection on the collections path
	@if [ -t 0 ]; then echo "make shell: ansible-playbook and netdiag.thousandeyes are ready here; 'exit' leaves this shell." >&2; fi
	@unset MAKEFLAGS MFLAGS MAKELEVEL; exec "$${SHELL:-bash}"

venv: $(VENV_STAMP) ## Create .venv with the pinned tools (redone when requirements-dev.txt changes)

# --no-compile: pip would byte-compile every file of every package (a quarter of its CPU time for a venv); Python
# compiles what is imported, once, at its first import instead, and most of these files never are.
PIP_INSTALL_OPTIONS := --disable-pip-version-check --no-compile
# That first import writes the compiled file only where PYTHONDONTWRITEBYTECODE is unset. Some machines set it in
# their environment: then every ansible-playbook start, module run and tool start compiles ansible, jinja2, requests
# and the rest again (eight playbook tests: 135 s of CPU instead of 93 s; TESTING.md, "Where the time goes").
unexport PYTHONDONTWRITEBYTECODE

# For another core: every pin of requirements-dev.txt but ansible-core's, which CORE_REQUIREMENTS gives.
$(VENV_STAMP): requirements-dev.txt $(CORE_REQUIREMENTS)
	[ -x $(BIN)/python ] || command -v $(SYSTEM_PYTHON) >/dev/null || { \
	    echo "CORE=$(CORE) needs Python $(CORE_PYTHON_VERSION): install $(PYTHON), or name it with PYTHON=/path/to/$(PYTHON)" >&2; exit 1; }
	[ -x $(BIN)/python ] || $(SYSTEM_PYTHON) -m venv $(VENV)
ifeq ($(CORE_REQUIREMENTS),)
	$(BIN)/python -m pip install $(PIP_INSTALL_OPTIONS) -r requirements-dev.txt
else
	grep -v -i '^ansible-core[=<>!~ ]' requirements-dev.txt | cat - $(CORE_REQUIREMENTS) > $(VENV)/requirements.txt
	$(BIN)/python -m pip install $(PIP_INSTALL_OPTIONS) -r $(VENV)/requirements.txt
endif
	touch $@

$(IMPORTER_STAMP): requirements-importer.txt
	[ -x $(IMPORTER_VENV)/bin/python ] || $(SYSTEM_PYTHON) -m venv $(IMPORTER_VENV)
	$(IMPORTER_VENV)/bin/python -m pip install $(PIP_INSTALL_OPTIONS) -r requirements-importer.txt
	touch $@

$(DOCS_STAMP): requirements-docs.txt
	[ -x $(DOCS_VENV)/bin/python ] || $(SYSTEM_PYTHON) -m venv $(DOCS_VENV)
	$(DOCS_VENV)/bin/python -m pip install $(PIP_INSTALL_OPTIONS) -r requirements-docs.txt
	touch $@

# NO_SYNC=1 leaves the tree as it is: `make test` syncs once, then runs stages side by side in it, and a sync
# during another stage's run would prune what that stage writes there (ansible-lint's .ansible cache, say).
NO_SYNC ?=
collection: ## Sync the files git knows into the ansible-test tree (COLLECTION_DIR)
	$(if $(NO_SYNC),@echo 'collection: not synced again (NO_SYNC)',$(SYSTEM_PYTHON) tools/sync_tree.py $(CURDIR) $(COLLECTION_DIR))

# ansible-test builds one venv per sanity test and bootstraps pip in each with a script it
# downloads from a host that may be unreachable; the stand-in does the same from the package index.
sanity: venv collection ## ansible-test sanity (no ignore files)
	python tools/install_get_pip_standin.py
	cd $(COLLECTION_DIR) && ansible-test sanity --local --python $(CORE_PYTHON_VERSION) -v $(SANITY_ARGS)
	@echo 'Running tests/sanity/extra (checks ansible-test does not have)'
	cd $(COLLECTION_DIR) && for check in tests/sanity/extra/*.py; do python "$$check"; done

lint: venv collection docs install-check ## ansible-lint (production), changelog lint, docs render, tarball install
	cd $(COLLECTION_DIR) && ansible-lint
	cd $(COLLECTION_DIR) && antsibull-changelog lint
	python tools/check_version.py $(COLLECTION_DIR)
	python tools/list_assertions.py --check tests/assertion-baseline.json --quiet

# ansible-doc renders what users see; antsibull-docs also checks the markup (O(), RV(), links).
docs: venv collection ## Render every module and role with ansible-doc; lint the docs with antsibull-docs
	cd $(COLLECTION_DIR) && python $(CURDIR)/tools/check_docs.py
	cd $(COLLECTION_DIR) && python $(CURDIR)/tools/lint_collection_docs.py --plugin-docs --validate-collection-refs=all .

build: venv collection ## Build the collection tarball (from the synced tree) into a temporary dist folder
	rm -rf $(DIST_DIR)
	ansible-galaxy collection build --force --output-path $(DIST_DIR) $(COLLECTION_DIR)

# What Galaxy runs on an upload, on the tarball of `make build`: ansible-lint and ansible-doc on,
# ansible-test off (sanity runs it); any warning fails (tools/run_galaxy_importer.py).
galaxy-importer: $(IMPORTER_STAMP) build ## galaxy-importer on the built tarball, failing on any warning
	$(IMPORTER_VENV)/bin/python tools/run_galaxy_importer.py $(DIST_DIR)/netdiag-thousandeyes-*.tar.gz

# antsibull-docs writes the RST of the synced tree's collection, Sphinx the HTML (tools/build_docs_site.py).
docs-site: export PATH := $(DOCS_VENV)/bin:$(PATH)
docs-site: $(DOCS_STAMP) collection ## Build the HTML docs site (modules, filters, role, guides) into BUILD_ROOT/docs-site
	$(DOCS_VENV)/bin/python tools/build_docs_site.py $(COLLECTION_DIR) $(BUILD_ROOT)/docs-site

# The tarball must install on its own, and every module and role must load from the installed copy
# (agent_info first of all). Only the empty path is configured, so neither ansible-galaxy nor
# ansible-doc sees the synced tree.
install-check: export ANSIBLE_COLLECTIONS_PATH := $(INSTALL_CHECK_PATH)
install-check: build ## Install the tarball into an empty collections path and render its docs from there
	rm -rf $(INSTALL_CHECK_PATH)
	ansible-galaxy collection install --offline -p $(INSTALL_CHECK_PATH) $(DIST_DIR)/netdiag-thousandeyes-*.tar.gz
	python tools/check_tarball.py $(DIST_DIR)/netdiag-thousandeyes-*.tar.gz galaxy.yml
	cd $(INSTALL_CHECK_PATH) && python $(CURDIR)/tools/check_docs.py \
	    ansible_collections/netdiag/thousandeyes --same-as $(COLLECTION_DIR)

# ansible-test units needs pytest, pytest-mock and pytest-xdist in .venv (it runs pytest -n auto).
units: venv collection ## ansible-test units (skipped while tests/unit has no tests)
	if [ -z "$$(find $(COLLECTION_DIR)/tests/unit -name 'test_*.py' 2>/dev/null | head -n 1)" ]; then \
	    echo "units: SKIPPED, no tests/unit/**/test_*.py yet"; \
	else \
	    cd $(COLLECTION_DIR) && ansible-test units --local --python $(CORE_PYTHON_VERSION) $(UNITS_ARGS); \
	fi

# Real ansible-playbook runs against the emulator, which the tests start themselves (one per xdist
# worker). Two passes: `parallel`, every test but those conftest.py marks `serial` (timing-sensitive), on
# INTEGRATION_WORKERS workers; then `serial`, those on their own. INTEGRATION_PASSES picks them (`make test`
# runs them as two stages, TESTING.md "The time budget"). pytest exits 5 when a pass collects no tests: that
# pass is skipped; every pass skipped means tests/integration has no tests yet.
INTEGRATION_WORKERS ?= 2
INTEGRATION_PASSES ?= parallel serial
# COVERAGE=1 measures the coverage of plugins/ in every process of the passes (tests/coverage/coverage.ini) into
# COVERAGE_DIR; `make coverage-report` then prints it and checks it against tests/coverage/floor.json.
COVERAGE ?=
COVERAGE_DIR := $(BASE_BUILD_ROOT)-coverage
INTEGRATION_PYTEST := $(if $(filter 1,$(COVERAGE)),COVERAGE_FILE=$(COVERAGE_DIR)/.coverage python -m coverage run --rcfile=tests/coverage/coverage.ini -m pytest,python -m pytest)
integration: venv collection ## pytest tests/integration in the synced tree: -n 2, then the serial tests
	if [ ! -d $(COLLECTION_DIR)/tests/integration ]; then \
	    echo "integration: SKIPPED, no tests/integration yet"; exit 0; \
	fi; \
	cd $(COLLECTION_DIR); \
	$(if $(filter 1,$(COVERAGE)),mkdir -p $(COVERAGE_DIR);) \
	rc=5; if [ -n '$(filter parallel,$(INTEGRATION_PASSES))' ]; then \
	    rc=0; $(INTEGRATION_PYTEST) $(INTEGRATION_TESTS) -v --durations=15 -n $(INTEGRATION_WORKERS) -m 'not serial' $(PYTEST_ARGS) || rc=$$?; fi; \
	if [ $$rc -ne 0 ] && [ $$rc -ne 5 ]; then exit $$rc; fi; \
	serial_rc=5; if [ -z '$(filter serial,$(INTEGRATION_PASSES))' ]; then :; \
	elif [ '$(CORE_DEPENDENT_ONLY)' = 1 ]; then echo "integration: no serial pass on this core (TESTING.md)"; else \
	    serial_rc=0; $(INTEGRATION_PYTEST) $(INTEGRATION_TESTS) -v --durations=15 -m serial $(PYTEST_ARGS) || serial_rc=$$?; fi; \
	if [ $$serial_rc -ne 0 ] && [ $$serial_rc -ne 5 ]; then exit $$serial_rc; fi; \
	if [ $$rc -eq 5 ] && [ $$serial_rc -eq 5 ]; then echo "integration: SKIPPED, pytest collected no tests ($(INTEGRATION_PASSES))"; fi

.PHONY: coverage-report
coverage-report: venv ## Print the coverage of plugins/ that `make integration COVERAGE=1` measured; fail below the floor
	cd $(COLLECTION_DIR) && python $(CURDIR)/tools/coverage_report.py $(COVERAGE_DIR) $(COVERAGE_REPORT_ARGS)

# Event-Driven Ansible (tests/integration/test_eda.py): ansible-rulebook in a venv of its own (its pins are not
# requirements-dev.txt's), and the Java 17 it needs, installed from Debian's packages only when missing.
RULEBOOK_VENV := $(CURDIR)/.venv-rulebook
RULEBOOK_STAMP := $(RULEBOOK_VENV)/.requirements-rulebook.stamp
.PHONY: rulebook

$(RULEBOOK_STAMP): requirements-rulebook.txt
	[ -x $(RULEBOOK_VENV)/bin/python ] || $(SYSTEM_PYTHON) -m venv $(RULEBOOK_VENV)
	$(RULEBOOK_VENV)/bin/python -m pip install $(PIP_INSTALL_OPTIONS) -r requirements-rulebook.txt
	touch $@

rulebook: $(RULEBOOK_STAMP) ## ansible-rulebook in .venv-rulebook, and Java 17 (openjdk-17-jre-headless when missing)
	tools/ensure_java17.sh

integration: rulebook
integration: export NETDIAG_ANSIBLE_RULEBOOK := $(RULEBOOK_VENV)/bin/ansible-rulebook

# The report page test renders HTML in headless Chromium: Debian's chromium is installed when none is found.
.PHONY: chromium
chromium: ## Install Debian's chromium (for the report page test) when no chromium is found
	@tools/ensure_chromium.sh >/dev/null
integration: chromium

# What CI runs, on the lowest supported ansible-core (the default venv) and again on the newest.
# The checks that do not depend on the core release (lint, galaxy-importer, docs-site) run once.
test: ## Everything CI runs (.ci/run): test-core, lint, galaxy-importer, docs-site on 2.19; test-core on 2.21
	@rm -f $(STAGE_TIMES); date +%s > $(STAGE_TIMES).start
	rm -rf $(COVERAGE_DIR)
	$(MAKE) collection CORE=2.19
	$(MAKE) collection CORE=2.21
	$(call side_by_side,sanity,'sanity 2.19=$(MAKE) sanity CORE=2.19 NO_SYNC=1' 'sanity 2.21=$(MAKE) sanity CORE=2.21 NO_SYNC=1' \
	    'rulebook and demo venvs=$(MAKE) rulebook demo-venv')
	$(call side_by_side,packaging checks,'lint=$(MAKE) lint CORE=2.19 NO_SYNC=1' \
	    'galaxy-importer=$(MAKE) galaxy-importer CORE=2.19 NO_SYNC=1 DIST_DIR=$(BASE_BUILD_ROOT)/dist-importer' \
	    'docs-site=$(MAKE) docs-site CORE=2.19 NO_SYNC=1')
	$(call timed,units 2.19,$(MAKE) units CORE=2.19)
	$(call timed,integration 2.19,$(MAKE) integration CORE=2.19 INTEGRATION_PASSES=parallel COVERAGE=1)
	$(call side_by_side,serial and 2.21,--background 'units and integration 2.21' \
	    'serial pass 2.19=$(MAKE) integration CORE=2.19 INTEGRATION_PASSES=serial COVERAGE=1' \
	    'units and integration 2.21=$(MAKE) units CORE=2.21 && $(MAKE) integration CORE=2.21')
	$(call timed,coverage report,$(MAKE) coverage-report CORE=2.19)
	@echo 'make test: stage times'; cat $(STAGE_TIMES)
	@printf '%-26s %5ss (wall clock; budget %ss, TESTING.md "The time budget")\n' total \
	    $$(( $$(date +%s) - $$(cat $(STAGE_TIMES).start) )) $(TEST_BUDGET)

test-core: sanity units integration ## sanity, units and integration on one ansible-core (CORE=2.19 or 2.21)

# Runs a stage and appends its wall-clock time to STAGE_TIMES (printed at the end of `make test`, with the total).
STAGE_TIMES := $(BASE_BUILD_ROOT)-stage-times.txt
# Seconds `make test` may take from a fresh clone on the 2-core CI machine (TESTING.md, "The time budget"). Only
# printed beside the total: a slow machine must not fail a run, a change that needs more must say so.
TEST_BUDGET := 1800
define timed
@start=$$(date +%s); $(2); printf '%-26s %5ss\n' '$(1)' $$(( $$(date +%s) - start )) | tee -a $(STAGE_TIMES)
endef
# Runs independent stages side by side (tools/run_stages.py): each stage's time, then the group's, go to STAGE_TIMES.
define side_by_side
$(SYSTEM_PYTHON) tools/run_stages.py --times $(STAGE_TIMES) --group '$(1)' $(2)
endef

# The demo needs only ansible-core and requests: a venv of its own, not the development toolchain of .venv.
DEMO_VENV := $(CURDIR)/.venv-demo
DEMO_STAMP := $(DEMO_VENV)/.requirements-demo.stamp
$(DEMO_STAMP): requirements-demo.txt
	[ -x $(DEMO_VENV)/bin/python ] || $(SYSTEM_PYTHON) -m venv $(DEMO_VENV)
	$(DEMO_VENV)/bin/python -m pip install $(PIP_INSTALL_OPTIONS) -r requirements-demo.txt
	touch $@

.PHONY: demo-venv
demo-venv: $(DEMO_STAMP) ## Create .venv-demo (ansible-core and requests) for make demo

demo: export PATH := $(DEMO_VENV)/bin:$(PATH)
demo: $(DEMO_STAMP) collection ## Start the emulator, run DEMO_PLAYBOOK (playbooks/diagnose.yml) against it, stop it
	tools/demo.sh $(DEMO_ARGS)

# Timings are compared only as ratios of runs taken in turn, never asserted; the figures go to bench/results (git-ignored)
# and the report to BENCHMARKS.md (committed as the report of the last run).
bench: venv collection ## Benchmarks against the emulator: print a table, write BENCHMARKS.md (about 10 minutes)
	cd $(COLLECTION_DIR) && python bench/run.py --results $(CURDIR)/bench/results --report $(CURDIR)/BENCHMARKS.md $(BENCH_ARGS)

changelog: venv ## Release the fragments into changelogs/changelog.yaml and CHANGELOG.rst (at release time)
	antsibull-changelog lint
	antsibull-changelog release

clean: ## Remove the synced trees, built tarballs and local caches (keeps the venvs)
	rm -rf $(BASE_BUILD_ROOT) $(BASE_BUILD_ROOT)-core-* $(COVERAGE_DIR) $(STAGE_TIMES) $(STAGE_TIMES).start tests/output .pytest_cache changelogs/.plugin-cache.yaml .ansible
	find . -path './.venv*' -prune -o -name __pycache__ -type d -print0 | xargs -0 rm -rf

distclean: clean ## clean, and remove .venv and the other venvs
	rm -rf $(CURDIR)/.venv $(CURDIR)/.venv-*
