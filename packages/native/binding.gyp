{
  "targets": [
    {
      "target_name": "anira_native",
      "sources": ["csrc/addon.c", "csrc/sgemm.c", "csrc/rows.c", "csrc/adam.c", "csrc/attention.c", "csrc/attention-train.c", "csrc/move-rows.c", "csrc/layer.c", "csrc/mlp.c", "csrc/attention-block.c", "csrc/cross-entropy.c"],
      "include_dirs": ["<!@(node scripts/blas-flags.cjs --include)"],
      "libraries": ["<!@(node scripts/blas-flags.cjs --libs)"],
      "cflags": ["-O3", "-fno-trapping-math", "-fvisibility=hidden"],
      "ldflags": ["-Wl,--exclude-libs,ALL"]
    }
  ]
}
