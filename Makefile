# gancourse: the two commands of README.md, plus helpers.
# make train  -> train the DCGAN (lesson 02's model at half width, batch 64, EMA
#                generator; 3 epochs), write runs/dcgan/{samples.png,training.gif,...}
# make test   -> lint + doctests + unit tests + every lesson under nbval (fast mode)
EPOCHS ?= 3
OUT ?= runs/dcgan
PY := .venv/bin/python

.PHONY: setup train test lessons notebooks student grade site site-test

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

# Student copies: solution cells -> TODO stubs, outputs cleared (student/,
# committed; their Colab badges open them; tests/test_student_copies.py checks
# that they match the lessons).
student: setup
	$(PY) -m gancourse.course.assign lessons/ student/

# Grade a class: one sub-folder or one .ipynb per student in $(SUBMISSIONS);
# writes $(GRADES)/grades.csv and $(GRADES)/reports/<student>.md.
SUBMISSIONS ?= submissions
GRADES ?= grades
grade: setup
	$(PY) -m gancourse.grade $(SUBMISSIONS) --out $(GRADES) --jobs 2

# Course website from the committed notebooks and their stored outputs
# (nothing is executed): build/site/. View: python -m http.server -d build/site
site: setup
	$(PY) tools/build_site.py

# The site in headless Chromium (rebuilt first when a source is newer);
# screenshots in build/site-test/. `make test` runs tests/test_site.py too.
site-test: setup
	$(PY) -m pytest -p no:cacheprovider -q tests/test_site.py
