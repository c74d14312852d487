"""Summarise a pytest JUnit XML report of the addons' tests.

Prints the test count per addon and a closing line in pytest's form
('N passed, N failed, ...'). Exits non-zero when a test failed or errored,
or when an expected addon ran no test at all (a module whose tests were not
collected must not pass silently).

Usage: test_summary.py REPORT.xml[,REPORT.xml...] MODULE [MODULE ...]
(several reports: make test's parallel pytest processes, one each).
"""
import collections
import re
import sys
import xml.etree.ElementTree as ET

MODULE_RE = re.compile(r"(?:^|\.)(meddev_\w+?)\.tests\.")


def summarise(reports, modules):
    per_module = collections.OrderedDict((m, collections.Counter()) for m in modules)
    totals = collections.Counter()
    cases = (case for report in reports.split(",")
             for case in ET.parse(report).getroot().iter("testcase"))
    for case in cases:
        match = MODULE_RE.search(case.get("classname", ""))
        module = match.group(1) if match else "(other)"
        if case.find("failure") is not None:
            outcome = "failed"
        elif case.find("error") is not None:
            outcome = "errors"
        elif case.find("skipped") is not None:
            outcome = "skipped"
        else:
            outcome = "passed"
        per_module.setdefault(module, collections.Counter())[outcome] += 1
        totals[outcome] += 1
    return per_module, totals


def main(reports, modules):
    per_module, totals = summarise(reports, modules)
    silent = []
    for module, counts in per_module.items():
        ran = sum(counts.values())
        print("  %-24s %4d tests  (%s)" % (module, ran, ", ".join(
            "%d %s" % (n, k) for k, n in sorted(counts.items())) or "none ran"))
        if not ran and module in modules:
            silent.append(module)
    for module in silent:
        print("ERROR: no test of %s ran" % module)
    line = "%d passed, %d failed" % (totals["passed"], totals["failed"])
    for extra in ("errors", "skipped"):
        if totals[extra]:
            line += ", %d %s" % (totals[extra], extra)
    print("=" * 20 + " " + line + " " + "=" * 20)
    return 1 if (totals["failed"] or totals["errors"] or silent) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
