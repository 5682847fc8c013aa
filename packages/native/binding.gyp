{
  "targets": [
    {
      "target_name": "anira_native",
      "sources": ["csrc/sgemm.c"],
      "include_dirs": ["<!@(node scripts/blas-flags.cjs --include)"],
      "libraries": ["<!@(node scripts/blas-flags.cjs --libs)"],
      "cflags": ["-O2", "-fvisibility=hidden"],
      "ldflags": ["-Wl,--exclude-libs,ALL"]
    }
  ]
}
