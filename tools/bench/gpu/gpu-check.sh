#!/usr/bin/env bash
# The whole GPU check in one command, on a machine with a GPU, python3 + PyTorch
# (CUDA), no network and no node, from a checkout of this repo plus the kit built
# by tools/bench/gpu/make-kit.sh. Run from the repo root:
#
#   OUT=/some/dir tools/bench/gpu/gpu-check.sh [kit dir]     (default kit: .gpu-kit)
#
# Writes into $OUT (default ./gpu-out): results.md (the table), results.json, and per
# part <part>.json (its JSON line), <part>.log (its stderr), <part>.status.
# Parts, each under its own timeout, all within one deadline (GPU_CHECK_DEADLINE_S,
# default 285 s) so one failure or hang loses nothing else:
#   adapter; w1w2 (W1 train, W2 fixed/adaptive, device work counts); torch-w1 (PyTorch
#   W1/W2); paper-32/256/1024 (paper-size dyck model, ms per update) and PyTorch at the
#   same sizes; seeds (8 stacked seeds vs 8 sequential runs, when the CLI has --seeds).
# Env:
#   GPU_CHECK_ICD     Vulkan driver: unset = NVIDIA's (/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json),
#                     "swiftshader" = Chromium's SwiftShader (rehearsal without a GPU), or a path to an ICD json
#   GPU_CHECK_TINY=1  tiny sizes everywhere (the SwiftShader rehearsal); PyTorch on cpu
#   GPU_CHECK_PYTHON  python with torch (default python3)
#   GPU_CHECK_DEADLINE_S, GPU_CHECK_CAP_SCALE  the overall deadline (285 s) and a factor on each part's
#                     cap (1); the SwiftShader rehearsal needs more: SwiftShader is a CPU emulation
set -u
ROOT=$(pwd)
KIT=${1:-${GPU_KIT:-$ROOT/.gpu-kit}}
OUT=${OUT:-$ROOT/gpu-out}
TINY=${GPU_CHECK_TINY:-0}
PY=${GPU_CHECK_PYTHON:-python3}
DEADLINE_S=${GPU_CHECK_DEADLINE_S:-285}
CAP_SCALE=${GPU_CHECK_CAP_SCALE:-1}
START=$(date +%s)
say() { printf '[gpu-check %3ss] %s\n' "$(( $(date +%s) - START ))" "$*" >&2; }
[ -f "$KIT/check.mjs" ] || { say "no kit at $KIT (build it with tools/bench/gpu/make-kit.sh)"; exit 2; }
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
KIT=$(cd "$KIT" && pwd)

# --- unpack the kit into a private run folder -----------------------------------
RUN=$(mktemp -d "${TMPDIR:-/tmp}/anira-gpu.XXXXXX")
unxz_to() { # src.xz dest
  if command -v xz >/dev/null 2>&1; then xz -dc "$1" >"$2"
  else "$PY" -c 'import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"; fi
}
unxz_to "$KIT/node.xz" "$RUN/node" && chmod +x "$RUN/node" || { say "cannot unpack node"; exit 2; }
mkdir -p "$RUN/node_modules/webgpu/dist/linux-x64"
cp "$KIT/webgpu/package.json" "$KIT/webgpu/index.js" "$RUN/node_modules/webgpu/"
unxz_to "$KIT/webgpu/dawn.node.xz" "$RUN/node_modules/webgpu/dist/linux-x64/dawn.node" || { say "cannot unpack dawn.node"; exit 2; }
cp "$KIT/check.mjs" "$KIT/anira.mjs" "$KIT/torch_w1.py" "$RUN/"
DEB=$(ls "$KIT"/libvulkan1_*.deb 2>/dev/null | head -1)
if [ -n "$DEB" ] && command -v dpkg >/dev/null 2>&1; then dpkg -x "$DEB" "$RUN/vulkan"; else cp -r "$KIT/vulkan" "$RUN/vulkan"; fi
export LD_LIBRARY_PATH="$RUN/vulkan/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
case "${GPU_CHECK_ICD:-}" in
  '') export VK_ICD_FILENAMES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ;;
  swiftshader) export VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json ;;
  *) export VK_ICD_FILENAMES=$GPU_CHECK_ICD ;;
esac
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}
export NO_COLOR=1
[ -f "$VK_ICD_FILENAMES" ] || say "warning: the Vulkan driver file $VK_ICD_FILENAMES does not exist"
NODE="$RUN/node"
TINYFLAG=(); [ "$TINY" = 1 ] && TINYFLAG=(--tiny)
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"; echo "host: $(hostname)"; echo "kit: $KIT"; cat "$KIT/MANIFEST" 2>/dev/null
  echo "VK_ICD_FILENAMES: $VK_ICD_FILENAMES"; echo "tiny: $TINY"
  command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
} >"$OUT/environment.txt" 2>&1
say "node $("$NODE" -v), run folder $RUN, results in $OUT"

# --- one part: its own timeout, never more than the time left -------------------
part() { # name cap_seconds command...
  local name=$1 cap=$(( $2 * CAP_SCALE )); shift 2
  local left=$(( DEADLINE_S - ($(date +%s) - START) ))
  local limit=$(( cap < left ? cap : left ))
  if [ "$limit" -lt 5 ]; then
    say "$name: skipped (time budget spent)"; echo "skipped: time budget spent" >"$OUT/$name.status"; return 1
  fi
  say "$name: running (limit ${limit}s)"
  local t0=$(date +%s) rc
  timeout -k 5 "$limit" "$@" >"$OUT/$name.json" 2>"$OUT/$name.log"; rc=$?
  local secs=$(( $(date +%s) - t0 ))
  if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then echo "TIMEOUT after ${limit}s" >"$OUT/$name.status"
  elif [ $rc -ne 0 ] && grep -q '^{' "$OUT/$name.json" 2>/dev/null; then echo "exit $rc after writing its result, ${secs}s" >"$OUT/$name.status"
  else echo "exit $rc, ${secs}s" >"$OUT/$name.status"; fi
  say "$name: $(cat "$OUT/$name.status")"
  [ $rc -ne 0 ] && tail -3 "$OUT/$name.log" | sed "s/^/    /" >&2
  return $rc
}

cd "$RUN"
if [ "$TINY" = 1 ]; then
  BATCHES=(2 4 8); TORCH_DEV=cpu
  TORCH_W1=(--device cpu --threads 1 --iters 2 --batch 2 --seq 8 --d 16 --ffn 32 --steps 8)
  SEED_STEPS=2
else
  BATCHES=(32 256 1024); TORCH_DEV=cuda
  TORCH_W1=(--device cuda --iters 30)
  SEED_STEPS=20
fi

part adapter 40 "$NODE" check.mjs adapter
part w1w2 75 "$NODE" check.mjs w1w2 "${TINYFLAG[@]}"
part torch-w1 35 "$PY" torch_w1.py "${TORCH_W1[@]}"
"$NODE" check.mjs paper-length "${TINYFLAG[@]}" >"$OUT/paper-length.json" 2>/dev/null
PLEN=$(sed -n 's/.*"length":\([0-9]*\).*/\1/p' "$OUT/paper-length.json")
for b in "${BATCHES[@]}"; do
  part "paper-$b" 35 "$NODE" check.mjs paper --batch "$b" "${TINYFLAG[@]}"
  if [ "$TINY" = 1 ]; then D=16 T=2 F=64; else D=64 T=6 F=256; fi
  part "torch-paper-$b" 15 "$PY" torch_w1.py --device "$TORCH_DEV" --threads 1 --iters 10 --batch "$b" --seq "${PLEN:-40}" --d "$D" --heads 4 --ffn "$F" --steps "$T"
done

# --- stacked seeds (the CLI's --seeds), if this CLI has it ----------------------
if "$NODE" anira.mjs train --help 2>/dev/null | grep -q -- '--seeds'; then
  K=8
  if [ "$TINY" = 1 ]; then D=16 T=2; else D=64 T=6; fi
  cat >"$RUN/seeds-config.json" <<EOF
{ "name": "gpu-check-seeds", "seed": 0, "task": { "name": "dyck", "params": {} },
  "model": { "dModel": $D, "nHeads": 4, "tMax": $T, "preludeLayers": 1 }, "policy": { "name": "anira-o", "options": {} },
  "trainer": { "steps": $SEED_STEPS, "batchSize": 32, "evalEvery": 0 }, "eval": { "examples": 8, "heldOut": 8, "tMax": [$T] },
  "checkpointEvery": 1000000 }
EOF
  SEEDS=$(seq -s, 0 $((K - 1)))
  seeds_run() {
    local t0 t1 t2
    t0=$(date +%s.%N)
    "$NODE" "$RUN/anira.mjs" train --config "$RUN/seeds-config.json" --seeds "$SEEDS" --backend webgpu --quiet --out "$RUN/seeds-stacked" >&2 || return 1
    t1=$(date +%s.%N)
    for s in $(seq 0 $((K - 1))); do
      "$NODE" "$RUN/anira.mjs" train --config "$RUN/seeds-config.json" --seed "$s" --backend webgpu --quiet --out "$RUN/seeds-seq-$s" >&2 || return 1
    done
    t2=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" -v c="$t2" -v k="$K" -v n="$SEED_STEPS" \
      'BEGIN { printf "{\"part\":\"seeds\",\"k\":%d,\"steps\":%d,\"stackedS\":%.3f,\"sequentialS\":%.3f}\n", k, n, b - a, c - b }'
  }
  export -f seeds_run; export NODE RUN SEEDS K SEED_STEPS
  part seeds 90 bash -c seeds_run
else
  say "seeds: skipped (this CLI has no --seeds option)"
  echo "skipped: the CLI has no --seeds option" >"$OUT/seeds.status"
fi

"$NODE" check.mjs report "$OUT" >/dev/null 2>"$OUT/report.log" || say "report failed: $(tail -1 "$OUT/report.log")"
cd "$ROOT" && rm -rf "$RUN"
say "done in $(( $(date +%s) - START ))s; results: $OUT/results.md"
[ -f "$OUT/results.md" ] && cat "$OUT/results.md"
exit 0
