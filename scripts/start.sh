#!/usr/bin/env bash
# `npm start`: installs what is missing, builds what is stale, and serves the lab
# on http://127.0.0.1:${PORT:-8080} (www/dist if built, else www/).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

bash scripts/setup.sh rust wasm node

pkg_wasm="www/pkg/${CRATE_NAME}_bg.wasm"
# True if any file under the given paths is newer than $1 (or $1 is missing).
stale() {
  local ref="$1"; shift
  [ -e "$ref" ] || return 0
  local p existing=()
  for p in "$@"; do [ -e "$p" ] && existing+=("$p"); done
  [ ${#existing[@]} -gt 0 ] || return 1
  [ -n "$(find "${existing[@]}" -newer "$ref" -type f -print -quit 2>/dev/null)" ]
}

need_wasm=0
if stale "$pkg_wasm" src Cargo.toml Cargo.lock; then need_wasm=1; fi

if [ -f www/index.html ]; then
  need_site=$need_wasm
  if [ "$need_site" = 0 ]; then
    # rebuild if any www source (excluding dist) is newer than the built index
    mapfile -t www_src < <(find www -path www/dist -prune -o -type f -print)
    if stale www/dist/index.html "${www_src[@]}" vite.config.mjs package-lock.json; then need_site=1; fi
  fi
  if [ "$need_site" = 1 ]; then
    npm run --silent build
  fi
elif [ "$need_wasm" = 1 ]; then
  bash scripts/build-wasm.sh
fi

root="www"
[ -f www/dist/index.html ] && root="www/dist"
exec node scripts/serve.mjs "$root" --port "${PORT:-8080}"
