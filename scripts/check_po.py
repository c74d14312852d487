#!/usr/bin/env python3
"""Check the addons' translation files (.pot and .po) the way Odoo 11 loads
them: every entry names where its source is (a "#:" line). Odoo logs a
WARNING for an entry without one each time the file is loaded, which fails
the install-alone checks of make test."""
import glob
import os
import sys


def entries_without_reference(path):
    """Yield the msgid line of each entry of ``path`` that has no "#:"
    reference; the header (empty msgid) is not an entry."""
    with open(path, encoding='utf-8') as handle:
        blocks = handle.read().split('\n\n')
    for block in blocks:
        lines = [line for line in block.strip().split('\n') if line]
        msgids = [line for line in lines if line.startswith('msgid ')]
        if not msgids or msgids[0] == 'msgid ""' and not any(
                line.startswith('#.') for line in lines):
            continue
        if not any(line.startswith('#:') for line in lines):
            yield msgids[0]


def main(addons):
    status = 0
    for addon in addons:
        pattern = os.path.join(addon, 'i18n', '*.po*')
        for path in sorted(glob.glob(pattern)):
            for msgid in entries_without_reference(path):
                print('%s: entry without "#:" reference: %s' % (path, msgid))
                status = 1
    return status


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
