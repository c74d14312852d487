# The MedDev suite's two everyday commands, and a few helpers.
#   make run    set up if needed, create the demo database once, serve Odoo on :8069
#   make test   set up if needed, lint, install on fresh databases, run every test
# One module's tests:  make test MODULES=meddev_credit
.PHONY: setup run test lint clean-db

setup:
	@scripts/setup.sh

run:
	@scripts/run.sh

test:
	@scripts/test.sh

lint: setup
	@scripts/lint.sh

# Drop the databases that test runs left behind (KEEP_DB=1, or a run killed).
clean-db:
	@for db in $$(psql -d postgres -tAc "select datname from pg_database \
		where datname like 'meddev\_test\_%' or datname like 'meddev\_alone\_%'"); do \
		dropdb "$$db" && echo "dropped $$db"; done
