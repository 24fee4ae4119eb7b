#!/usr/bin/env bash
# `npm run bench`: builds what the benchmarks need, runs them all, writes BENCHMARKS.md.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"
bash scripts/setup.sh
bash scripts/build-wasm.sh
bash scripts/build-site.sh --skip-wasm
exec node scripts/bench.mjs "$@"
