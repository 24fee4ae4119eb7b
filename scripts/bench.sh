#!/usr/bin/env bash
# Runs the native benchmark suite: `cargo run --release -- bench [ARGS...]`.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"
bash scripts/setup.sh rust
exec cargo run --release -- bench "$@"
