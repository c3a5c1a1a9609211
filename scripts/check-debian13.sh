#!/usr/bin/env bash
# Checks that Hooktrail builds without warnings and passes its tests on Debian 13 (trixie,
# Qt 6.8), as it does on Debian 12: the committed repository in a pristine trixie root (see
# scripts/fresh-root.sh), built with warnings as errors, then the whole test suite.
#
#   scripts/check-debian13.sh [--keep]    (extra options go to fresh-root.sh; needs root)
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date +%s)
status=0
# HOOKTRAIL_WERROR=ON: ./dev builds with -Werror only on CI or when asked, and a warning that
# Qt 6.8 brings (a deprecated API) must fail the check too.
scripts/fresh-root.sh --suite trixie "$@" 'HOOKTRAIL_WERROR=ON ./dev test' || status=$?

elapsed=$(( $(date +%s) - started ))
if [[ $status -eq 0 ]]; then
    echo "check-debian13: PASSED (Debian 13: built with -Werror, all tests passed) in ${elapsed} s"
else
    echo "check-debian13: FAILED (status $status) in ${elapsed} s; see the lines above"
fi
exit "$status"
