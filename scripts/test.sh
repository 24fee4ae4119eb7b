#!/usr/bin/env bash
# The single test entry point (`npm test`, `.ci/run`). Runs every stage in
# order and stops at the first failure. A stage whose inputs do not exist yet
# (no tsconfig.json, no JS tests, ...) is skipped with a message.
# Env: REQUIRE_BROWSER=1 (set by .ci/run) makes a missing Chromium a failure
# instead of skipping the browser tests. Tests never rewrite tracked files
# (`npm run screenshots` regenerates docs/screenshots, `npm run bench` BENCHMARKS.md).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

started=$(date +%s)
current=""
on_exit() {
  local rc=$?
  if [ $rc -ne 0 ]; then
    printf '\n[test] FAILED in stage: %s (exit %s)\n' "${current:-?}" "$rc" >&2
  fi
}
trap on_exit EXIT

begin() { current="$*"; stage "$*"; }
skip()  { printf '[test] SKIPPED %s\n' "$*"; }

# Lists test files matching a glob in a directory (non-recursive), one per line.
test_files() { compgen -G "$1/$2" | sort || true; }

# The tracked files' changes, to check at the end that no stage rewrote any (CI only: on a
# developer's machine files may be edited while the tests run).
tracked_state() { git diff HEAD --no-color --binary 2>/dev/null | cksum; }
tracked_before="$(tracked_state)"

begin "setup"
bash scripts/setup.sh

if [ -f Cargo.toml ]; then
  begin "cargo fmt --check"
  cargo fmt --check

  begin "cargo clippy --all-targets -- -D warnings"
  cargo clippy --all-targets -- -D warnings

  begin "cargo test --release"
  cargo test --release

  begin "cargo doc --no-deps (RUSTDOCFLAGS=-D warnings)"
  RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --quiet

  begin "build wasm (scripts/build-wasm.sh)"
  bash scripts/build-wasm.sh

  begin "cargo clippy --lib --target $WASM_TARGET -- -D warnings"
  cargo clippy --lib --target "$WASM_TARGET" -- -D warnings
else
  skip "Rust stages: no Cargo.toml"
fi

if [ -f tsconfig.json ]; then
  begin "tsc --noEmit -p tsconfig.json"
  npx --no-install tsc --noEmit -p tsconfig.json
else
  skip "TypeScript check: no tsconfig.json"
fi

mapfile -t js_tests < <(test_files tests/js '*.test.mjs')
if [ ${#js_tests[@]} -gt 0 ]; then
  begin "JS tests: node --test tests/js/ (${#js_tests[@]} files)"
  node --test "${js_tests[@]}"
else
  skip "JS tests: no tests/js/*.test.mjs"
fi

mapfile -t e2e_tests < <(test_files tests/e2e '*.test.mjs')
if [ ${#e2e_tests[@]} -eq 0 ]; then
  skip "browser tests: no tests/e2e/*.test.mjs"
elif [ ! -x "$CHROMIUM_BIN" ]; then
  begin "browser tests"
  if [ "${REQUIRE_BROWSER:-0}" = 1 ]; then
    die "chromium not installed ($CHROMIUM_BIN missing) and REQUIRE_BROWSER=1"
  fi
  echo "SKIPPED browser tests: chromium not installed ($CHROMIUM_BIN missing)"
else
  if [ -f www/index.html ] && [ -f Cargo.toml ]; then
    begin "build site for browser tests (scripts/build-site.sh --skip-wasm)"
    bash scripts/build-site.sh --skip-wasm
  fi
  begin "browser tests: node --test --test-concurrency=1 tests/e2e/ (${#e2e_tests[@]} files)"
  node --test --test-concurrency=1 "${e2e_tests[@]}"
fi

if [ "${CI:-}" = true ] && [ "$(tracked_state)" != "$tracked_before" ]; then
  begin "tracked files unchanged"
  git status --short >&2
  die "the tests rewrote tracked files (above); regeneration belongs in an explicit command"
fi

current=""
printf '\n[test] ALL STAGES PASSED in %ss\n' "$(( $(date +%s) - started ))"
