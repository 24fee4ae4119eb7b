#!/usr/bin/env bash
# Builds the wasm package into www/pkg/ (liveness.js, liveness_bg.wasm, .d.ts).
#   1. setup (wasm target + matching wasm-bindgen-cli)
#   2. cargo build --release --lib --target wasm32-unknown-unknown
#   3. wasm-bindgen --target web
#   4. wasm-opt -Oz, only if node_modules/.bin/wasm-opt exists (npm binaryen)
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

[ -f Cargo.toml ] || die "no Cargo.toml in $REPO_ROOT: nothing to build"

bash scripts/setup.sh wasm

log "cargo build --release --lib --target $WASM_TARGET"
cargo build --release --lib --target "$WASM_TARGET"

wasm_in="$(cargo_target_dir)/$WASM_TARGET/release/$CRATE_NAME.wasm"
[ -f "$wasm_in" ] || die "expected $wasm_in after cargo build (is the lib crate named '$CRATE_NAME' with crate-type cdylib?)"

out_dir="www/pkg"
log "wasm-bindgen --target web --out-dir $out_dir --out-name $CRATE_NAME"
mkdir -p "$out_dir"
wasm-bindgen --target web --out-dir "$out_dir" --out-name "$CRATE_NAME" "$wasm_in"

wasm_out="$out_dir/${CRATE_NAME}_bg.wasm"
size_of() { printf '%s B raw, %s B gzip' "$(wc -c <"$1" | tr -d ' ')" "$(gzip -9c "$1" | wc -c | tr -d ' ')"; }

if [ -x node_modules/.bin/wasm-opt ]; then
  log "wasm-bindgen output: $(size_of "$wasm_out")"
  log "wasm-opt -Oz"
  tmp="$wasm_out.opt.tmp"
  node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    "$wasm_out" -o "$tmp"
  mv -f "$tmp" "$wasm_out"
fi

log "$wasm_out: $(size_of "$wasm_out")"
