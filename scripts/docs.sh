#!/usr/bin/env bash
# `make docs`: retake the user guide's screenshots. Runs the browser tests
# (scripts/test_browser.sh, every flow in every language of the guide) with
# MEDDEV_BROWSER_DOCS set, so that each step's screenshot is also copied to
# docs/guide/<lang>/img/<flow>-NN-step.png; the pages link those files, so
# the guide never shows a screen the suite no longer has. Screenshots are
# reduced to 256 colours to keep the repository small.
set -uo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

GUIDE="$ROOT/docs/guide"
export MEDDEV_BROWSER_DOCS="$GUIDE"
export ZH_FLOWS="${ZH_FLOWS:-all}"
# Screenshots of flows that no longer run must not linger in the guide.
for lang in ${LANGS:-en_US zh_CN}; do
    [ "$lang" = en_US ] && lang=en
    rm -f "$GUIDE/$lang/img/"*.png
done
"$ROOT/scripts/test_browser.sh"
status=$?
"$TOOLS_VENV/bin/python" - "$GUIDE" <<'PY'
import glob
import os
import sys

from PIL import Image

for path in glob.glob(os.path.join(sys.argv[1], '*', 'img', '*.png')):
    image = Image.open(path)
    if image.mode == 'P':
        continue
    image.convert('RGB').quantize(colors=256).save(path, optimize=True)
PY
[ $status -ne 0 ] && log "make docs: some flows failed; their screenshots are missing or partial"
exit $status
