# shellcheck shell=bash
# Common helpers sourced by the scripts in scripts/. Not meant to be run directly.

# Repo root = parent of this file's directory.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

# cargo-installed binaries (wasm-bindgen) live here; make sure they are found
# even when the login profile that adds them to PATH was not sourced (CI).
if [ -d "${CARGO_HOME:-$HOME/.cargo}/bin" ]; then
  case ":$PATH:" in
    *":${CARGO_HOME:-$HOME/.cargo}/bin:"*) ;;
    *) export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH" ;;
  esac
fi

CHROMIUM_BIN="${CHROMIUM_BIN:-/usr/bin/chromium}"
WASM_TARGET="wasm32-unknown-unknown"
WASM_BINDGEN_FALLBACK_VERSION="0.2.130"
CRATE_NAME="liveness"

log()  { printf '[%s] %s\n' "$(basename "$0" .sh)" "$*"; }
warn() { printf '[%s] WARNING: %s\n' "$(basename "$0" .sh)" "$*" >&2; }
die()  { printf '[%s] ERROR: %s\n' "$(basename "$0" .sh)" "$*" >&2; exit 1; }

have() { command -v "$1" >/dev/null 2>&1; }

# Print a big stage header (used by test.sh).
stage() { printf '\n==================== %s ====================\n' "$*"; }

# Version of the `wasm-bindgen` crate pinned in Cargo.lock (empty if none).
wasm_bindgen_lock_version() {
  local lock="$REPO_ROOT/Cargo.lock"
  [ -f "$lock" ] || return 0
  awk '
    /^\[\[package\]\]/ { name = ""; next }
    /^name = "wasm-bindgen"$/ { name = "wasm-bindgen"; next }
    name == "wasm-bindgen" && /^version = / { gsub(/"/, "", $3); print $3; exit }
  ' "$lock"
}

# Version reported by the installed wasm-bindgen CLI (empty if not installed).
wasm_bindgen_cli_version() {
  have wasm-bindgen || return 0
  wasm-bindgen --version 2>/dev/null | awk '{ print $2; exit }'
}

# Absolute path of the cargo target dir (honours CARGO_TARGET_DIR).
cargo_target_dir() {
  local d="${CARGO_TARGET_DIR:-target}"
  case "$d" in
    /*) printf '%s\n' "$d" ;;
    *)  printf '%s\n' "$REPO_ROOT/$d" ;;
  esac
}
