#!/usr/bin/env bash
# Cold `cargo check` of the generated adapters (altinn-bridge-examples) against the runtime alone,
# in the same run, each in a fresh target dir. The examples check includes the runtime's, so the
# difference is what the generated code costs a user's crate. Takes minutes; not run in CI.
#
#   output-examples/benches/cold-check.sh            # from anywhere in the checkout
set -euo pipefail
cd "$(dirname "$0")/../.."
scratch=$(mktemp -d "${TMPDIR:-/tmp}/altinn-bridge-cold-check.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
cargo fetch -q
timed() { # name package
  local start end
  start=$(date +%s.%N)
  cargo check -q --offline -p "$2" --target-dir "$scratch/$1"
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
runtime=$(timed runtime altinn-bridge-runtime)
examples=$(timed examples altinn-bridge-examples)
lines=$(find output-examples/src/generated -name '*.rs' -exec cat {} + | wc -l)
printf 'cold cargo check: altinn-bridge-runtime %.1f s (baseline); altinn-bridge-examples %.1f s (%s lines of generated code); ratio %.2fx; the generated code adds %.1f s\n' \
  "$runtime" "$examples" "$lines" "$(echo "$examples / $runtime" | bc -l)" "$(echo "$examples - $runtime" | bc -l)"
# The cold figures carry the dependencies' compile time and whatever else the machine runs; the
# generated code alone is the examples crate re-checked with everything else warm.
touch output-examples/src/lib.rs
start=$(date +%s.%N)
cargo check -q --offline -p altinn-bridge-examples --target-dir "$scratch/examples"
printf 'warm re-check of altinn-bridge-examples alone (the generated code): %.1f s\n' "$(echo "$(date +%s.%N) - $start" | bc)"
