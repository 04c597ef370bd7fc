#!/usr/bin/env bash
# Gradescope runs this once while it builds the autograder image (scripts/autograder packs it at
# the root of the zip): installs the Debian packages (scripts/install-deps; set
# DSLABS_SKIP_APT=1 to skip, as the package's CTest does), then builds the graded drivers of the
# handout tree once (dslabs_gradescope.py setup). Paths hang off $AUTOGRADER_ROOT (/autograder).
set -euo pipefail
source_dir="${AUTOGRADER_ROOT:-/autograder}/source"
if [ -z "${DSLABS_SKIP_APT:-}" ]; then
  "$source_dir/dslabs/scripts/install-deps"
fi
exec python3 "$source_dir/dslabs/scripts/lib/dslabs_gradescope.py" setup
