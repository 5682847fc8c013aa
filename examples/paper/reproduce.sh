#!/usr/bin/env bash
# Reproduce every number of docs/results.md: the learnability study, then the four
# analysis sweeps of this folder, then their merged tables. From the repository root,
# after `pnpm install --frozen-lockfile && pnpm build`:
#   bash examples/paper/reproduce.sh [runs-folder] [jobs] [specs...]
# e.g. `bash examples/paper/reproduce.sh runs/paper 2 decision-timing` runs one spec.
# Runs are resumable: rerunning skips finished runs and resumes interrupted ones. The
# wall time of each spec is printed when it ends (README.md has the estimates).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="${1:-runs/paper}"
JOBS="${2:-auto}"
shift $(( $# > 2 ? 2 : $# ))
SPECS=("$@")
[ ${#SPECS[@]} -gt 0 ] || SPECS=(learnability alignment decision-timing prelude-ablation generalization)
anira() { node packages/cli/dist/bin.js "$@"; }
for spec in "${SPECS[@]}"; do
  start=$(date +%s)
  anira sweep "examples/paper/$spec.yaml" --out "$OUT/$spec" --jobs "$JOBS"
  echo "sweep $spec: $(( $(date +%s) - start )) s wall time" | tee -a "$OUT/wall-times.txt"
done
merge() { [ -d "$1" ] || return 0; anira sweep merge "${@:1:$#-1}" --out "${!#}"; }
merge "$OUT/learnability" "$OUT/merged-learnability"
merge "$OUT/alignment" "$OUT/merged-alignment"
# the graph tasks' three hub features, dropped and fitted as one set (docs/metrics.md §5)
HUB=(--feature-set "hub structure=hub,hubs,max_degree")
if [ -d "$OUT/decision-timing" ] && [ -d "$OUT/prelude-ablation" ]; then
  anira sweep merge "$OUT/decision-timing" "$OUT/prelude-ablation" "${HUB[@]}" --out "$OUT/merged-decision-timing"
elif [ -d "$OUT/decision-timing" ]; then
  anira sweep merge "$OUT/decision-timing" "${HUB[@]}" --out "$OUT/merged-decision-timing"
fi
merge "$OUT/generalization" "$OUT/merged-generalization"
echo "merged tables: $OUT/merged-*/results.md; wall times: $OUT/wall-times.txt"
