# gancourse: the two commands of README.md, plus helpers.
# make train  -> train the lesson-02 DCGAN, write runs/dcgan/{samples.png,training.gif,losses.png}
# make test   -> lint + doctests + unit tests + every lesson under nbval (fast mode)
EPOCHS ?= 5
OUT ?= runs/dcgan
PY := .venv/bin/python

.PHONY: setup train test lessons notebooks student

setup:
	bash tools/setup.sh

# A second `make train` continues the run in $(OUT) (--resume; "Nothing to
# do" once it has EPOCHS epochs) instead of refusing to touch it.
train: setup
	$(PY) -m gancourse train dcgan --epochs $(EPOCHS) --out $(OUT) \
		$(if $(wildcard $(OUT)/checkpoints/checkpoint),--resume)

test: setup
	$(PY) -m ruff check gancourse tests tools benchmarks lessons/conftest.py
	$(PY) -m pytest -p no:cacheprovider -q --doctest-modules gancourse
	$(PY) -m pytest -p no:cacheprovider -n 2 tests --nbval lessons

lessons: setup
	$(PY) -m pytest -p no:cacheprovider --nbval lessons

# Re-execute every lesson in full mode and store the outputs (slow: ~1 h).
notebooks: setup
	$(PY) tools/run_notebooks.py

# Student copies: solution cells -> TODO stubs, outputs cleared (build/student/).
student: setup
	$(PY) -m gancourse.course.assign lessons/ build/student/
