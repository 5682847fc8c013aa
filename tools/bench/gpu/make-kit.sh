#!/usr/bin/env bash
# Build the GPU check kit: everything a GPU machine with PyTorch but no network and
# no node needs to run tools/bench/gpu/gpu-check.sh from a checkout of this repo.
#
#   tools/bench/gpu/make-kit.sh [kit dir]        (default: .gpu-kit at the repo root, git-ignored)
#
# The kit (about 35 MiB; the script fails above 60 MiB):
#   node.xz               this machine's node binary, xz -9
#   check.mjs             esbuild bundle of tools/bench/gpu/src/check.ts (bench parts, report)
#   anira.mjs             esbuild bundle of the CLI (stacked seeds, when the CLI has --seeds)
#   webgpu/               the `webgpu` package's package.json + index.js; dawn.node.xz (linux-x64 only)
#   libvulkan1_*.deb      Debian's Vulkan loader (apt-get download), and vulkan/ (the same, dpkg -x)
#   torch_w1.py           the PyTorch reference workload
#   MANIFEST              versions, commit, sizes
# Env: GPU_KIT_SKIP_BUILD=1 reuses the built packages (dist/) as they are.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
KIT=${1:-$ROOT/.gpu-kit}
mkdir -p "$KIT"
KIT=$(cd "$KIT" && pwd)
say() { printf '[make-kit] %s\n' "$*" >&2; }
cd "$ROOT"

if [ "${GPU_KIT_SKIP_BUILD:-0}" != 1 ]; then
  say "building the CLI and the packages it uses"
  pnpm -r --filter "@anira/bench^..." run build >"$KIT/build.log" 2>&1 || { tail -20 "$KIT/build.log" >&2; exit 1; }
fi

# esbuild comes with tsup (a workspace devDependency)
ESBUILD=$(node -e "const p=require('path');const t=p.dirname(require.resolve('tsup/package.json'));console.log(p.join(p.dirname(require.resolve('esbuild/package.json',{paths:[t]})),'bin','esbuild'))")
BANNER="import { createRequire as __anira_cr } from 'node:module'; const require = __anira_cr(import.meta.url);"
bundle() { # entry outfile
  "$ESBUILD" "$1" --bundle --platform=node --format=esm --target=node20 --external:webgpu \
    --banner:js="$BANNER" --log-level=warning --outfile="$2"
}
say "bundling check.mjs and anira.mjs"
bundle tools/bench/gpu/src/check.ts "$KIT/check.mjs"
bundle packages/cli/dist/bin.js "$KIT/anira.mjs"

NODE=$(command -v node)
NODE_VERSION=$(node -v)
if [ -f "$KIT/node.xz" ] && [ "$(cat "$KIT/node.version" 2>/dev/null)" = "$NODE_VERSION" ]; then
  say "node.xz ($NODE_VERSION) already in the kit"
else
  say "compressing node $NODE_VERSION (xz -9, about a minute)"
  xz -9 -c "$NODE" >"$KIT/node.xz.tmp" && mv "$KIT/node.xz.tmp" "$KIT/node.xz"
  echo "$NODE_VERSION" >"$KIT/node.version"
fi

WEBGPU=$(node -e "console.log(require('path').dirname(require.resolve('webgpu/package.json',{paths:['$ROOT']})))")
rm -rf "$KIT/webgpu" && mkdir -p "$KIT/webgpu"
cp "$WEBGPU/package.json" "$WEBGPU/index.js" "$KIT/webgpu/"
if [ ! -f "$KIT/webgpu/dawn.node.xz" ]; then
  say "compressing dawn.node (linux-x64)"
  xz -9 -c "$WEBGPU/dist/linux-x64/dawn.node" >"$KIT/webgpu/dawn.node.xz"
fi

if ! ls "$KIT"/libvulkan1_*.deb >/dev/null 2>&1; then
  say "downloading Debian's libvulkan1"
  (cd "$KIT" && apt-get download libvulkan1 >/dev/null 2>&1) || cp /var/cache/apt/archives/libvulkan1_*.deb "$KIT/" 2>/dev/null || {
    say "cannot get libvulkan1 (apt-get download failed and no cached .deb)"; exit 1; }
fi
rm -rf "$KIT/vulkan" && dpkg -x "$(ls "$KIT"/libvulkan1_*.deb | head -1)" "$KIT/vulkan"

TORCH_W1=""
for c in "${TORCH_W1_PY:-}" "$ROOT/../shared/reference/torch_w1.py" "$ROOT/../../shared/reference/torch_w1.py" /work/shared/reference/torch_w1.py; do
  if [ -n "$c" ] && [ -f "$c" ]; then TORCH_W1=$c; break; fi
done
[ -n "$TORCH_W1" ] || { say "torch_w1.py not found (set TORCH_W1_PY)"; exit 1; }
cp "$TORCH_W1" "$KIT/torch_w1.py"
rm -f "$KIT/build.log"

SIZE=$(du -sm "$KIT" | cut -f1)
{
  echo "made: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "node: $NODE_VERSION"
  echo "webgpu: $(node -p "require('$WEBGPU/package.json').version")"
  echo "libvulkan1: $(ls "$KIT"/libvulkan1_*.deb | xargs -n1 basename)"
  echo "size: ${SIZE} MiB"
} >"$KIT/MANIFEST"
cat "$KIT/MANIFEST" >&2
[ "$SIZE" -le 60 ] || { say "the kit is ${SIZE} MiB, over the 60 MiB limit"; exit 1; }
say "kit ready in $KIT; on the GPU machine run: tools/bench/gpu/gpu-check.sh"
