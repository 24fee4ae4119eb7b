#!/usr/bin/env bash
# `npm run screenshots`: regenerates the README's pictures in docs/screenshots/ by running the
# browser tests' screenshot cases with SCREENSHOTS_DIR pointing there. The tests themselves write
# to a scratch folder, so `npm test` never rewrites tracked files.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

REQUIRE_BROWSER=1 bash scripts/setup.sh
bash scripts/build-site.sh
mkdir -p docs/screenshots
log "taking screenshots into docs/screenshots"
SCREENSHOTS_DIR=docs/screenshots REQUIRE_BROWSER=1 \
  node --test --test-concurrency=1 --test-name-pattern=screenshot tests/e2e/*.test.mjs
git status --short docs/screenshots || true
