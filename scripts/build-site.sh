#!/usr/bin/env bash
# Builds the lab: the wasm package, then (if www/index.html exists) a static
# site with Vite into www/dist/.
#   --skip-wasm   do not rebuild www/pkg first (test.sh has just built it)
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

skip_wasm=0
for arg in "$@"; do
  case "$arg" in
    --skip-wasm) skip_wasm=1 ;;
    *) die "unknown argument '$arg'" ;;
  esac
done

bash scripts/setup.sh node
if [ "$skip_wasm" = 0 ]; then
  bash scripts/build-wasm.sh
fi

if [ -f www/index.html ]; then
  log "vite build (www -> www/dist)"
  npx --no-install vite build --config vite.config.mjs --logLevel warn
  log "site built in www/dist"
else
  log "no www/index.html yet: skipping vite build (www/pkg is built)"
fi
