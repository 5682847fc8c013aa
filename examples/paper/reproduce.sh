#!/usr/bin/env bash
# Reproduce every number of docs/results.md: the four sweeps of this folder, then their
# merged tables. From the repository root, after `pnpm install --frozen-lockfile && pnpm build`:
#   bash examples/paper/reproduce.sh [runs-folder] [jobs]
# Runs are resumable: rerunning skips finished runs and resumes interrupted ones.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="${1:-runs/paper}"
JOBS="${2:-auto}"
anira() { node packages/cli/dist/bin.js "$@"; }
for spec in alignment decision-timing prelude-ablation generalization; do
  anira sweep "examples/paper/$spec.yaml" --out "$OUT/$spec" --jobs "$JOBS"
done
anira sweep merge "$OUT/alignment" --out "$OUT/merged-alignment"
anira sweep merge "$OUT/decision-timing" "$OUT/prelude-ablation" --out "$OUT/merged-decision-timing"
anira sweep merge "$OUT/generalization" --out "$OUT/merged-generalization"
echo "merged tables: $OUT/merged-*/results.md"
