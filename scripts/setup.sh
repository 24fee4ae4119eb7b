#!/usr/bin/env bash
# Installs whatever the build and tests need and is missing. Idempotent; prints
# nothing when everything is already present.
#
# Usage: scripts/setup.sh [PART...]     PART = rust | wasm | node | browser
#        (no PART = all of them)
#
#   rust     rustfmt + clippy components
#   wasm     wasm32-unknown-unknown target + wasm-bindgen-cli at the version
#            pinned for the `wasm-bindgen` crate in Cargo.lock
#   node     npm ci (or npm install without a lockfile) when node_modules is
#            missing or older than package-lock.json
#   browser  Chromium at /usr/bin/chromium via apt (root only; otherwise prints
#            how to install it and carries on: browser tests are then skipped)
#
# Env: REQUIRE_BROWSER=1 makes a missing/uninstallable Chromium an error.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

LOG_DIR="${TMPDIR:-/tmp}/liveness-setup-$(id -u)"
mkdir -p "$LOG_DIR"

# Run a command with its output going to a log file; on failure show the tail.
run_logged() {
  local name="$1"; shift
  local logf="$LOG_DIR/$name.log"
  if ! "$@" >"$logf" 2>&1; then
    tail -n 30 "$logf" >&2 || true
    warn "'$*' failed (full log: $logf)"
    return 1
  fi
}

need_cargo() {
  have cargo || die "cargo not found. Install Rust with rustup (stable toolchain), then re-run."
}

ensure_rust() {
  need_cargo
  local comp
  for comp in rustfmt clippy; do
    if have rustup; then
      if ! rustup component list --installed 2>/dev/null | grep -q "^${comp}"; then
        log "installing rust component $comp"
        run_logged "rustup-$comp" rustup component add "$comp" \
          || die "could not install rust component $comp"
      fi
    else
      local sub="$comp"; [ "$comp" = rustfmt ] && sub=fmt
      cargo "$sub" --version >/dev/null 2>&1 \
        || die "cargo $sub is missing and rustup is not available to install $comp"
    fi
  done
}

ensure_wasm() {
  need_cargo
  # 1. the wasm32 target
  if have rustup; then
    if ! rustup target list --installed 2>/dev/null | grep -qx "$WASM_TARGET"; then
      log "installing rust target $WASM_TARGET"
      run_logged rustup-target rustup target add "$WASM_TARGET" \
        || die "could not install rust target $WASM_TARGET (download refused?)"
    fi
  else
    [ -d "$(rustc --print sysroot)/lib/rustlib/$WASM_TARGET" ] \
      || die "rust target $WASM_TARGET is missing and rustup is not available to add it"
  fi

  # 2. wasm-bindgen-cli, exactly the crate version in Cargo.lock
  if [ ! -f Cargo.lock ] && [ -f Cargo.toml ]; then
    log "no Cargo.lock yet: generating it to learn the wasm-bindgen version"
    run_logged cargo-lockfile cargo generate-lockfile || die "cargo generate-lockfile failed"
  fi
  local want have_v
  want="$(wasm_bindgen_lock_version)"
  want="${want:-$WASM_BINDGEN_FALLBACK_VERSION}"
  have_v="$(wasm_bindgen_cli_version)"
  if [ "$have_v" != "$want" ]; then
    log "installing wasm-bindgen-cli $want (found: ${have_v:-none}); building from source takes ~3 min"
    # No --locked: the CLI's own lockfile pins crates the registry may not serve.
    run_logged wasm-bindgen-cli cargo install wasm-bindgen-cli --version "$want" --force \
      || die "cargo install wasm-bindgen-cli --version $want failed"
    have_v="$(wasm_bindgen_cli_version)"
    [ "$have_v" = "$want" ] \
      || die "wasm-bindgen on PATH is '${have_v:-none}' after installing $want ($(command -v wasm-bindgen || echo 'not on PATH'))"
  fi
}

ensure_node() {
  have node || die "node not found. Install Node.js >= 20.19 (e.g. apt-get install nodejs), then re-run."
  have npm  || die "npm not found. Install npm, then re-run."
  [ -f package.json ] || return 0
  local stamp="node_modules/.package-lock.json"
  if [ -f package-lock.json ]; then
    if [ ! -d node_modules ] || [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
      log "installing npm packages (npm ci)"
      run_logged npm-ci npm ci --no-audit --no-fund --loglevel=error || die "npm ci failed"
      touch "$stamp"
    fi
  elif [ ! -d node_modules ]; then
    log "installing npm packages (npm install; no package-lock.json)"
    run_logged npm-install npm install --no-audit --no-fund --loglevel=error || die "npm install failed"
  fi
}

ensure_browser() {
  [ -x "$CHROMIUM_BIN" ] && return 0
  local why
  if [ "$(id -u)" -eq 0 ] && have apt-get; then
    log "installing chromium via apt-get"
    export DEBIAN_FRONTEND=noninteractive
    if run_logged apt-update apt-get update -q \
       && { run_logged apt-chromium apt-get install -y -q --no-install-recommends chromium \
            || { run_logged apt-fix apt-get --fix-broken install -y -q \
                 && run_logged apt-chromium2 apt-get install -y -q --no-install-recommends chromium; }; }
    then
      [ -x "$CHROMIUM_BIN" ] && return 0
      why="apt installed chromium but $CHROMIUM_BIN is missing"
    else
      why="apt-get could not install chromium"
    fi
  else
    why="Chromium not found at $CHROMIUM_BIN; install it with: sudo apt-get install --no-install-recommends chromium"
  fi
  if [ "${REQUIRE_BROWSER:-0}" = 1 ]; then
    die "$why"
  fi
  warn "$why -- browser tests will be skipped"
}

parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=(rust wasm node browser)
for part in "${parts[@]}"; do
  case "$part" in
    rust)    ensure_rust ;;
    wasm)    ensure_wasm ;;
    node)    ensure_node ;;
    browser) ensure_browser ;;
    *) die "unknown part '$part' (expected: rust wasm node browser)" ;;
  esac
done
