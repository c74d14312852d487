"""Lint: every addon module an addon refers to must be among its dependencies.

Looks at `odoo.addons.<module>` imports in Python, at external ids
(`<module>.<name>`) in XML attributes (ref, inherit_id, parent, action,
groups, t-call), in `ref('...')` / `env.ref('...')` calls and in CSV `:id`
columns, and checks that <module> is the addon itself or in the transitive
closure of its manifest's `depends`. Run with the project's virtual
environment so that Odoo's own addons can be found.
"""
import ast
import csv
import os
import re
import sys

import odoo.addons

ATTRS = ("ref", "inherit_id", "parent", "action", "groups", "t-call", "group_id")
XML_ATTR_RE = re.compile(r'\b(%s)="([^"]+)"' % "|".join(ATTRS))
REF_CALL_RE = re.compile(r"""\bref\(\s*['"]([\w.]+)['"]""")
IMPORT_RE = re.compile(r"\bodoo\.addons\.(\w+)")
XMLID_RE = re.compile(r"^!?([a-z][a-z0-9_]*)\.[\w.]+$")


def load_manifests(paths):
    manifests = {}
    for path in paths:
        for name in os.listdir(path):
            manifest = os.path.join(path, name, "__manifest__.py")
            if os.path.isfile(manifest) and name not in manifests:
                with open(manifest, encoding="utf-8") as handle:
                    manifests[name] = ast.literal_eval(handle.read())
    return manifests


def closure(name, manifests):
    seen, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        todo.extend(manifests.get(current, {}).get("depends", []))
    return seen | {"base"}


def referenced_modules(addon_dir):
    """Yield (file, module) for every module that a file of the addon refers to."""
    for folder, dirs, files in os.walk(addon_dir):
        dirs[:] = [d for d in dirs if d not in ("__pycache__", "static")]
        for filename in files:
            path = os.path.join(folder, filename)
            if filename.endswith(".py"):
                with open(path, encoding="utf-8") as handle:
                    text = handle.read()
                for module in IMPORT_RE.findall(text):
                    yield path, module
                for xmlid in REF_CALL_RE.findall(text):
                    match = XMLID_RE.match(xmlid)
                    if match:
                        yield path, match.group(1)
            elif filename.endswith(".xml"):
                with open(path, encoding="utf-8") as handle:
                    text = handle.read()
                values = [v for _attr, v in XML_ATTR_RE.findall(text)]
                values += REF_CALL_RE.findall(text)
                for value in values:
                    for part in value.split(","):
                        match = XMLID_RE.match(part.strip())
                        if match:
                            yield path, match.group(1)
            elif filename.endswith(".csv"):
                with open(path, encoding="utf-8") as handle:
                    rows = list(csv.DictReader(handle))
                for row in rows:
                    for column, value in row.items():
                        if column and column.endswith(":id") and value:
                            match = XMLID_RE.match(value.strip())
                            if match:
                                yield path, match.group(1)


def main(addon_dirs):
    base_addons = os.path.dirname(odoo.addons.__file__)
    own = sorted({os.path.dirname(os.path.abspath(d)) for d in addon_dirs})
    manifests = load_manifests(own + [base_addons])
    errors = 0
    for addon_dir in addon_dirs:
        name = os.path.basename(os.path.abspath(addon_dir))
        allowed = closure(name, manifests)
        reported = set()
        for path, module in referenced_modules(addon_dir):
            if module in allowed or (path, module) in reported:
                continue
            if module not in manifests:
                continue  # not an addon name (e.g. a model attribute path)
            reported.add((path, module))
            errors += 1
            print("%s: refers to '%s', which is not among the dependencies of %s"
                  % (os.path.relpath(path), module, name))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
