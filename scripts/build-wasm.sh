#!/usr/bin/env bash
# Builds the wasm package into www/pkg/ (liveness.js, liveness_bg.wasm, .d.ts).
#   1. setup (wasm target + matching wasm-bindgen-cli)
#   2. cargo build --profile wasm-release --lib --target wasm32-unknown-unknown
#      (Cargo.toml's [profile.wasm-release]: release tuned for wasm size and speed)
#   3. wasm-bindgen --target web --remove-name-section (function names only help debuggers;
#      panics are logged with their source location by the panic hook)
#   4. wasm-opt -Oz, only if node_modules/.bin/wasm-opt exists (npm binaryen)
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

[ -f Cargo.toml ] || die "no Cargo.toml in $REPO_ROOT: nothing to build"

bash scripts/setup.sh wasm

log "cargo build --profile wasm-release --lib --target $WASM_TARGET"
cargo build --profile wasm-release --lib --target "$WASM_TARGET"

wasm_in="$(cargo_target_dir)/$WASM_TARGET/wasm-release/$CRATE_NAME.wasm"
[ -f "$wasm_in" ] || die "expected $wasm_in after cargo build (is the lib crate named '$CRATE_NAME' with crate-type cdylib?)"

out_dir="www/pkg"
log "wasm-bindgen --target web --remove-name-section --out-dir $out_dir --out-name $CRATE_NAME"
mkdir -p "$out_dir"
wasm-bindgen --target web --remove-name-section --out-dir "$out_dir" --out-name "$CRATE_NAME" "$wasm_in"

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
