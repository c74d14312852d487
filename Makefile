# The MedDev suite's two everyday commands, and a few helpers.
#   make run    set up if needed, create the demo database once, serve Odoo on :8069
#   make test   set up if needed, lint, install on fresh databases, run every test
# One module's tests:  make test MODULES=meddev_credit
.PHONY: setup run test test-alone test-full test-core test-browser test-upgrade check-workers \
	bench docs lint clean-db

setup:
	@scripts/setup.sh

run:
	@scripts/run.sh

test:
	@if [ -n "$$ALONE" ]; then scripts/test.sh; \
	else SKIP_ALONE=$${SKIP_ALONE-1} scripts/test.sh; fi

# Each addon installs alone on a fresh database (its dependencies first) and
# its tests pass under Odoo's own runner; CI runs it after make test.
test-alone:
	@SKIP_LINT=1 ALONE_ONLY=1 scripts/test.sh

# Odoo's own tests of sale, sale_stock, stock, mrp, purchase and account, on a
# database with the suite installed and on plain Odoo, compared: installing
# the suite must not break Odoo's flows (see scripts/test_core.sh).
test-core:
	@scripts/test_core.sh

# make test, then Odoo's own tests on a copy of its database and on plain
# Odoo (test-core without a second install of the suite). CORE_BASELINE=1:
# the suite side only, against core_known_failures.txt (no plain Odoo run).
test-full:
	@CORE=1 scripts/test.sh

# The four flows of DESIGN.md clicked in headless chromium against a served
# demo database; screenshots of every step under var/browser/.
test-browser:
	@scripts/test_browser.sh

# Upgrade (-u twice), uninstall of every addon (top of the graph first) and
# reinstall on a fresh demo database
# (addons/meddev_suite_tests/scripts/upgrade_uninstall.sh); CI runs it.
test-upgrade:
	@scripts/test_upgrade.sh

# Jobs (OCR, recall notices) run by queue_job's runner in workers mode
# (WORKERS=4 make run) on a demo database and a spare port.
check-workers:
	@scripts/check_workers.sh

# Benchmarks (never pass/fail): make bench SIZE=S|M|L CASE=name
bench:
	@scripts/bench.sh

# The user guide's screenshots, retaken by the browser tests.
docs:
	@scripts/docs.sh

lint: setup
	@scripts/lint.sh

# Drop the databases that test runs left behind (KEEP_DB=1, or a run killed).
clean-db:
	@for db in $$(psql -d postgres -tAc "select datname from pg_database \
		where datname like 'meddev\_test\_%' or datname like 'meddev\_alone\_%' \
		or datname like 'meddev\_browser\_%' or datname like 'meddev\_core\_%' \
		or datname like 'meddev\_ci\_demo\_%'"); do \
		dropdb "$$db" && echo "dropped $$db"; done
