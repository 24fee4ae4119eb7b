#!/usr/bin/env bash
# What the wasm modules are made of: builds each (as scripts/build-wasm.sh does, but keeping
# function names so the size profiler can name them), then prints twiggy's top contributors to
# each module as Markdown tables (scripts/wasm-size-table.mjs: by part, then the largest items). Needs twiggy (`cargo install twiggy`); npm run bench uses it
# when it is installed.
#   bash scripts/wasm-size.sh [N]   (N rows per module, default 15)
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"
rows="${1:-15}"
command -v twiggy >/dev/null || die "twiggy is not installed (cargo install twiggy)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for module in liveness liveness_sweep; do
  features=()
  [ "$module" = liveness_sweep ] && features=(--features sweep-module)
  cargo build --quiet --profile wasm-release --lib --target "$WASM_TARGET" "${features[@]}"
  wasm-bindgen --target web --out-dir "$tmp" --out-name "$module" \
    "$(cargo_target_dir)/$WASM_TARGET/wasm-release/$CRATE_NAME.wasm"
  # The names are kept for twiggy only; the shipped module drops them (build-wasm.sh).
  node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    --debuginfo "$tmp/${module}_bg.wasm" -o "$tmp/$module.wasm"
  echo "### \`${module}_bg.wasm\` (names kept: $(wc -c <"$tmp/$module.wasm" | tr -d ' ') B)"
  echo
  twiggy top -n 100000 --format json "$tmp/$module.wasm" | node scripts/wasm-size-table.mjs "$rows"
  echo
done
