#!/usr/bin/env bash
# ListOps at full depth with d_model 128, continued from 16,000 to 32,000 updates. The
# three 16,000-update runs (learnability-listops-full.yaml's `d128` cell, seed 0, and
# learnability-listops-d128-seeds.yaml, seeds 1 and 2) were all still rising at their
# cap (0.951 / 0.898 / 0.903 on the analysis set). Each is copied to
# <runs>/listops-d128-32k/seed=N and resumed there with `anira train --resume --steps
# 32000`: the optimizer state and data stream continue, and the cosine learning-rate
# schedule spans the new total, so at update 16,001 the rate rises from its floor to
# about half its peak and decays again (a warm restart, not a 32,000-update run from
# scratch). The 16,000-update folders are left as they are. The three run at once;
# rerunning resumes where they stopped. From the repository root, after `pnpm build`
# and the two sweeps above (into the same runs folder):
#   bash examples/paper/session/listops-d128-32k.sh [runs-folder]
set -euo pipefail
cd "$(dirname "$0")/../../.."
RUNS="${1:-runs/paper}"
anira() { node packages/cli/dist/bin.js "$@"; }
source_of() {
  if [ "$1" = 0 ]; then echo "$RUNS/learnability-listops-full/recipe=d128,seed=0"
  else echo "$RUNS/learnability-listops-d128-seeds/recipe=d128,seed=$1"; fi
}
mkdir -p "$RUNS/listops-d128-32k"
pids=()
for seed in 0 1 2; do
  dst="$RUNS/listops-d128-32k/seed=$seed"
  if [ ! -d "$dst" ]; then
    src="$(source_of "$seed")"
    [ -f "$src/checkpoint.anira" ] || { echo "listops-d128-32k: $src has no checkpoint.anira; run its sweep first" >&2; exit 2; }
    cp -a "$src" "$dst.tmp" && mv "$dst.tmp" "$dst"
  fi
  anira train --resume --out "$dst" --steps 32000 > "$RUNS/listops-d128-32k/seed=$seed.log" 2>&1 &
  pids+=($!)
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=1; done
[ "$failed" = 0 ] || { echo "listops-d128-32k: a run failed; see $RUNS/listops-d128-32k/seed=*.log" >&2; exit 1; }
echo "listops-d128-32k: done; anira sweep merge $RUNS/listops-d128-32k --out <dir> gives the tables"
